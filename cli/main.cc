// gotriage: reads what a crashed or hung Go service leaves behind and says
// what went wrong, where, and how to fix it.

#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  return gotriage::RunMain(argc, argv, std::cout, std::cerr, /*skip_teardown=*/true);
}
