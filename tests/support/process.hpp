// Runs a program (no shell) and captures its exit code, stdout and stderr: for tests that
// compare cvex's binaries with Foundry's or drive them end to end.
#pragma once

#include <string>
#include <vector>

namespace cvex::test {

struct ProcessResult {
    int exit_code = -1;  // -1 when the program could not be started or was killed by a signal
    std::string out;
    std::string err;
};

/// Runs argv[0] (a path) with the given arguments; `env` entries ("NAME=value") are added to the
/// current environment. Blocks until the program exits.
ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

}  // namespace cvex::test
