# Run at build time (cmake -P) after gotriage is linked: writes the man page
# and the completion scripts with the binary's hidden --man and
# --completion options, i.e. from the same option definitions and rule
# documentation as --help and --explain.
#   -DBIN=<gotriage> -DDIR=<output dir> [-DEMULATOR=<runner>]
file(MAKE_DIRECTORY "${DIR}")
foreach(pair "gotriage.1=--man" "gotriage.bash=--completion=bash" "_gotriage=--completion=zsh"
             "gotriage.fish=--completion=fish")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 out)
  list(SUBLIST pair 1 -1 arg)
  string(REPLACE ";" "=" arg "${arg}")
  execute_process(COMMAND ${EMULATOR} "${BIN}" "${arg}" OUTPUT_FILE "${DIR}/${out}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BIN} ${arg} failed: ${rc}")
  endif()
endforeach()
