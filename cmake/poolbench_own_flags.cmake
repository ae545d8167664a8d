# poolbench_apply_own_flags(dir): links poolbench::options privately into
# every target compiled in dir and the directories below it.
#
# Why a walk rather than a PUBLIC link on each library: our flags (-Werror,
# the warnings, the sanitizers) are how we build, not what a user of
# poolbench::executor must compile with. Linked PUBLIC they leaked into every
# consumer; linked by hand into each target, a test or program added later
# that forgot the line would quietly build without -Werror. Here every target
# of this tree gets them, each privately, and as $<BUILD_INTERFACE:...> so an
# exported static library does not even name the options target.
function(poolbench_apply_own_flags dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
      target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:poolbench::options>)
    endif()
  endforeach()
  get_property(subdirectories DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    poolbench_apply_own_flags(${subdirectory})
  endforeach()
endfunction()
