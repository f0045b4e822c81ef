// The command: the run and the exit policy (options in options.h). Kept out
// of main.cc so tests can run the whole command in-process.
#ifndef GOTRIAGE_CLI_APP_H_
#define GOTRIAGE_CLI_APP_H_

#include <ostream>

namespace gotriage {

/// Exit codes (documented in --help and README.md).
enum ExitCode : int {
  kExitOk = 0,          ///< no finding at or above --fail-on
  kExitFindings = 1,    ///< findings at or above --fail-on
  kExitUsage = 2,       ///< bad command line
  kExitUnreadable = 3,  ///< an input could not be opened or read to its end
  kExitNoTrace = 4,     ///< --require-trace and no Go output in the input
  kExitSpooled = 5,     ///< --alertmanager unreachable: alerts spooled, not yet sent
};

/// Runs the command. With \a skip_teardown (set by the gotriage binary only)
/// the parsed input is not freed on return: the process is about to exit,
/// and freeing the model of a large dump took 6 to 11 ms, longer than
/// parsing its last ten megabytes. It stays reachable, so leak checkers
/// stay quiet.
int RunMain(int argc, char** argv, std::ostream& out, std::ostream& err,
            bool skip_teardown = false);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_APP_H_
