// A long-running child process for end-to-end tests (an oracle, an enclave, a validator):
// started with extra environment variables, its stdout and stderr appended to a log file,
// killed with the signal a test chooses, and always reaped (SIGKILL at destruction).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cvex::test {

class ChildProcess {
public:
    ChildProcess(std::vector<std::string> argv, std::vector<std::string> env, std::string log_path);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    /// Sends `signal` and waits for the process to end; returns its wait status.
    int stop(int signal);
    /// The wait status of the process once it has ended (after running() said false, or stop()).
    int exit_status() const { return status_; }
    /// Starts the same command again (after stop), appending to the same log.
    void restart();
    std::string log() const;

private:
    void start();
    std::vector<std::string> argv_, env_;
    std::string log_path_;
    pid_t pid_ = -1;
    int status_ = 0;
};

}  // namespace cvex::test
