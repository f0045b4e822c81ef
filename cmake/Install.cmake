# Installing gotriage: the binary, its man page and shell completions
# (generated from the binary itself, see cmake/GenerateDocs.cmake), the docs,
# the .deb (cmake/Package.cmake), the portable static build
# (cmake/Static.cmake), --version's commit (cmake/Version.cmake) and the
# tests of all these (tests/install/, label e2e).
include(GNUInstallDirs)
include(${CMAKE_CURRENT_LIST_DIR}/Version.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/Static.cmake)

# Man page and completions, regenerated whenever gotriage is relinked.
set(GOTRIAGE_GEN_DIR ${CMAKE_BINARY_DIR}/generated)
set(GOTRIAGE_GENERATED_DOCS ${GOTRIAGE_GEN_DIR}/gotriage.1 ${GOTRIAGE_GEN_DIR}/gotriage.bash
    ${GOTRIAGE_GEN_DIR}/_gotriage ${GOTRIAGE_GEN_DIR}/gotriage.fish)
add_custom_command(
  OUTPUT ${GOTRIAGE_GENERATED_DOCS}
  COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:gotriage> -DDIR=${GOTRIAGE_GEN_DIR}
          "-DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}"
          -P ${CMAKE_CURRENT_LIST_DIR}/GenerateDocs.cmake
  DEPENDS gotriage ${CMAKE_CURRENT_LIST_DIR}/GenerateDocs.cmake
  COMMENT "Generating the man page and shell completions from gotriage"
  VERBATIM)
add_custom_target(gotriage_docs ALL DEPENDS ${GOTRIAGE_GENERATED_DOCS})

install(TARGETS gotriage RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# `kubectl gotriage`: kubectl finds plugins as kubectl-NAME on PATH, so the
# plugin goes beside gotriage (which it runs from its own directory first).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/cli/kubectl-gotriage DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${GOTRIAGE_GEN_DIR}/gotriage.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${GOTRIAGE_GEN_DIR}/gotriage.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME gotriage)
install(FILES ${GOTRIAGE_GEN_DIR}/_gotriage DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES ${GOTRIAGE_GEN_DIR}/gotriage.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/rules.md
              ${PROJECT_SOURCE_DIR}/docs/gotriage.schema.json ${PROJECT_SOURCE_DIR}/docs/trace-format.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

include(${CMAKE_CURRENT_LIST_DIR}/Package.cmake)

if(GOTRIAGE_TESTS)
  # Each script gets the binary, the source and the build directory. They
  # are not under tests/*.sh, which CMakeLists.txt registers with the binary
  # only.
  set(_install_tests man_page completions version install_tree deb_package static_binary)
  foreach(name IN LISTS _install_tests)
    add_test(NAME install_${name}
             COMMAND bash ${PROJECT_SOURCE_DIR}/tests/install/${name}.sh $<TARGET_FILE:gotriage>
                     ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(install_${name} PROPERTIES LABELS e2e TIMEOUT 600)
  endforeach()
  # These run cmake --install, cpack or ninja in the build tree: never two
  # at once.
  set_tests_properties(install_install_tree install_deb_package install_static_binary
                       PROPERTIES RESOURCE_LOCK gotriage_build_tree)
  # The fleet: kubectl gotriage against an API server stand-in (tests/fleet/).
  add_test(NAME fleet_kubectl_plugin
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/fleet/kubectl_plugin.sh $<TARGET_FILE:gotriage>
                   ${PROJECT_SOURCE_DIR}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME fleet_alertmanager
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/fleet/alertmanager.sh $<TARGET_FILE:gotriage>
                   ${PROJECT_SOURCE_DIR}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME fleet_kubectl_interleave
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/fleet/kubectl_interleave.sh $<TARGET_FILE:gotriage>
                   ${PROJECT_SOURCE_DIR}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(fleet_kubectl_plugin fleet_alertmanager fleet_kubectl_interleave
                       PROPERTIES LABELS e2e TIMEOUT 300 SKIP_RETURN_CODE 77)
  # 40 replicas of one crash, in four envelopes, as a node's /var/log/pods
  # tree: one finding with 40 pods (issue 18).
  add_test(NAME fleet_replicas40
           COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/fleet/replicas40.py $<TARGET_FILE:gotriage>
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(fleet_replicas40 PROPERTIES LABELS e2e TIMEOUT 300)
  # gotriage watch, the node agent, on a kubelet log tree: rotation
  # mid-incident, truncation, deletion, kill -9 and restart, 2,000 files.
  set(watch_args "")
  if(GOTRIAGE_SANITIZE)
    set(watch_args --sanitized)
  endif()
  add_test(NAME fleet_watch_agent
           COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/fleet/watch_agent.py $<TARGET_FILE:gotriage> ${watch_args}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(fleet_watch_agent PROPERTIES LABELS e2e TIMEOUT 600)
  add_test(NAME fleet_daemonset_manifest
           COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/fleet/daemonset_manifest.py $<TARGET_FILE:gotriage>
                   ${PROJECT_SOURCE_DIR}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(fleet_daemonset_manifest PROPERTIES LABELS e2e TIMEOUT 120)
endif()
