# cmake --install: the programs, the libraries with their public headers, and
# the CMake package (lib/cmake/poolbench) that find_package(poolbench) reads.
#
# Two export sets, so a project that wants only the executors does not need
# Google Benchmark or CLI11:
#   poolbench::executor   always (find_package(poolbench))
#   poolbench::harness    the poolbench program as a library (run_main) and
#                         the runner under it (the strategy seam), with the
#                         libraries they link
#                         (find_package(poolbench COMPONENTS harness))
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(POOLBENCH_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/poolbench
    CACHE STRING "Where the CMake package of poolbench is installed, relative to the prefix")

install(TARGETS poolbench_executor EXPORT poolbench-executor-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        FILE_SET HEADERS DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT poolbench-executor-targets NAMESPACE poolbench::
        DESTINATION ${POOLBENCH_INSTALL_CMAKEDIR})

# The harness exists only where the runner is built (it needs Google Benchmark).
# A library the runner links joins this set, or CMake refuses to generate
# ("requires target ... that is not in any export set").
if(TARGET poolbench_runner)
  set(harness_libraries poolbench_program poolbench_runner poolbench_http poolbench_results
                        poolbench_report poolbench_cli poolbench_delay poolbench_stats
                        poolbench_report_input poolbench_report_claims)
  if(TARGET poolbench_uring)  # the floor's io_uring probe, where liburing was found
    list(APPEND harness_libraries poolbench_uring)
  endif()
  install(TARGETS ${harness_libraries}
          EXPORT poolbench-harness-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          FILE_SET HEADERS DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT poolbench-harness-targets NAMESPACE poolbench::
          DESTINATION ${POOLBENCH_INSTALL_CMAKEDIR})
endif()

# The programs, side by side in bin/: poolbench finds the embedded server
# next to its own binary.
set(programs poolbench-server)
foreach(program poolbench poolbench-report poolbench-executors poolbench-zoo)
  if(TARGET ${program})
    list(APPEND programs ${program})
  endif()
endforeach()
install(TARGETS ${programs} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/poolbenchConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/poolbenchConfig.cmake
                              INSTALL_DESTINATION ${POOLBENCH_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the interface, so only the same minor matches.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/poolbenchConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/poolbenchConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/poolbenchConfigVersion.cmake
        DESTINATION ${POOLBENCH_INSTALL_CMAKEDIR})
