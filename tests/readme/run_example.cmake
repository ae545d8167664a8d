# Runs one README example: it must exit 0 and print what its .expected file
# (a CMake regex over all of stdout) says.
#   cmake -DPROGRAM=path -DEXPECTED=file -P run_example.cmake
execute_process(COMMAND ${PROGRAM} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err
                TIMEOUT 50)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited ${status}\nstdout:\n${out}\nstderr:\n${err}")
endif()
file(READ ${EXPECTED} expected)
if(NOT out MATCHES "${expected}")
  message(FATAL_ERROR "${PROGRAM} printed:\n${out}\nwhich does not match:\n${expected}")
endif()
