# --version's commit: cmake/GitCommit.cmake runs at every build (it is
# cheap) and rewrites generated/git_commit.cc only when the commit or the
# dirty state changed, so an unchanged tree rebuilds nothing.
find_package(Git QUIET)
set(GOTRIAGE_GIT_COMMIT "" CACHE STRING
    "Commit for --version when building outside a git checkout (default: from git, or from a git archive stamp)")
set(GOTRIAGE_GIT_COMMIT_CC ${CMAKE_BINARY_DIR}/generated/git_commit.cc)
add_custom_target(gotriage_git_commit
  COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DOUT=${GOTRIAGE_GIT_COMMIT_CC}
          -DOVERRIDE=${GOTRIAGE_GIT_COMMIT} -DGIT=${GIT_EXECUTABLE}
          -P ${CMAKE_CURRENT_LIST_DIR}/GitCommit.cmake
  BYPRODUCTS ${GOTRIAGE_GIT_COMMIT_CC}
  VERBATIM)
target_sources(gotriage_cli PRIVATE ${GOTRIAGE_GIT_COMMIT_CC})
add_dependencies(gotriage_cli gotriage_git_commit)
