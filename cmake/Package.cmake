# `cpack -G DEB` in the build directory: gotriage_VERSION_ARCH.deb with the
# binary (stripped), man page, completions and docs under /usr. Depends is
# computed by dpkg-shlibdeps from the binary (package dpkg-dev).
set(CPACK_PACKAGE_NAME gotriage)
set(CPACK_PACKAGE_VENDOR "gotriage")
set(CPACK_PACKAGE_CONTACT "Seed 9d75d04b maintainers <maintainers@users.noreply.h-seed-9d75d04b.example>"
    CACHE STRING "Maintainer of the .deb")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "diagnose crashed or hung Go services from their traces")
set(CPACK_PACKAGE_DESCRIPTION
    "gotriage reads what a crashed or hung Go service leaves behind (panics, fatal
errors, SIGQUIT dumps, pprof goroutine dumps, go test -race reports, kubectl
logs and kubectl describe output) and says what went wrong, where, and how
to fix it, as text, JSON, SARIF or GitHub Actions annotations.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, kubernetes-client | kubectl")
# Debian ships man pages gzipped (man reads both); done in the staging tree so
# that `cmake --install` keeps a plain gotriage.1.
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/DebStage.cmake)
include(CPack)
