// A real Anvil node for tests: started on a free loopback port with the default test mnemonic,
// ready when it answers eth_chainId, stopped by its PID when the fixture goes away (and killed
// by the kernel if the test process dies first). Tests never leave an Anvil running.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace cvex::test {

class Anvil {
public:
    struct Options {
        uint16_t port = 0;                  // 0: pick a free loopback port
        std::optional<double> block_time;   // seconds; none = automine
        bool no_mining = false;
        std::string dump_state;             // path written on exit
        std::string load_state;             // path read at start
        std::vector<std::string> extra;     // more anvil arguments
    };

    Anvil();
    explicit Anvil(Options options);
    ~Anvil();
    Anvil(const Anvil&) = delete;
    Anvil& operator=(const Anvil&) = delete;

    const std::string& url() const { return url_; }
    uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

    /// SIGTERM and wait (Anvil writes --dump-state on a clean exit).
    void stop();
    /// SIGKILL: a crash.
    void kill();
    /// Starts again with the same options and port (after stop() or kill()).
    void restart();

    /// The well-known development keys of the default mnemonic ("test test … junk"), account i.
    static std::string dev_key(size_t i);
    static std::string dev_address(size_t i);

private:
    void start();

    Options options_;
    uint16_t port_ = 0;
    std::string url_;
    pid_t pid_ = -1;
};

/// A free TCP port on 127.0.0.1 (bound and released; the caller binds it next).
uint16_t free_loopback_port();
/// The directory of the anvil/forge/cast binaries (node_modules/.bin).
std::string foundry_bin(const std::string& tool);

}  // namespace cvex::test
