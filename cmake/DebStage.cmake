# CPack pre-build script: runs on the staging tree before the .deb is made.
# Compresses the man page as Debian policy wants (gzip -9n: no name or time
# stamp, so the package is reproducible).
file(GLOB_RECURSE _pages "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/share/man/man1/*.1")
foreach(p IN LISTS _pages)
  execute_process(COMMAND gzip -9nf "${p}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${p} failed")
  endif()
endforeach()
