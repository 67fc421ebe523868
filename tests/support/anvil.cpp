#include "support/anvil.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "chain/rpc/eth_client.hpp"

namespace cvex::test {

namespace {

// Accounts 0-9 of "test test test test test test test test test test test junk" (public test keys).
const char* const kDevKeys[] = {
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a", "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e", "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"};
const char* const kDevAddresses[] = {
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"};

}  // namespace

uint16_t free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot find a free loopback port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string foundry_bin(const std::string& tool) { return std::string(CVEX_SOURCE_DIR) + "/node_modules/.bin/" + tool; }

std::string Anvil::dev_key(size_t i) { return kDevKeys[i % 10]; }
std::string Anvil::dev_address(size_t i) { return kDevAddresses[i % 10]; }

Anvil::Anvil() : Anvil(Options{}) {}

Anvil::Anvil(Options options) : options_(std::move(options)) {
    port_ = options_.port ? options_.port : free_loopback_port();
    url_ = "http://127.0.0.1:" + std::to_string(port_);
    start();
}

Anvil::~Anvil() { stop(); }

void Anvil::start() {
    std::vector<std::string> args = {foundry_bin("anvil"), "--host", "127.0.0.1", "--port", std::to_string(port_), "--silent"};
    if (options_.block_time) args.insert(args.end(), {"--block-time", std::to_string(*options_.block_time)});
    if (options_.no_mining) args.push_back("--no-mining");
    if (!options_.dump_state.empty()) args.insert(args.end(), {"--dump-state", options_.dump_state});
    if (!options_.load_state.empty()) args.insert(args.end(), {"--load-state", options_.load_state});
    args.insert(args.end(), options_.extra.begin(), options_.extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // Die with the test process, whatever kills it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        const int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0), ::dup2(devnull, 1), ::dup2(devnull, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    // Ready when it answers eth_chainId (bounded: 30 s).
    chain::JsonRpcClient::Options o;
    o.timeouts.connect = std::chrono::milliseconds(500);
    o.timeouts.read = std::chrono::milliseconds(2000);
    o.retry.max_attempts = 1;
    auto client = chain::EthClient::connect(url_, o);
    for (int i = 0; i < 600; ++i) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("anvil exited at start (port " + std::to_string(port_) + ")");
        }
        if ((*client)->chain_id()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill();
    throw std::runtime_error("anvil did not answer within 30 s");
}

void Anvil::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {  // up to 10 s for a clean exit (state dump)
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill();
}

void Anvil::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void Anvil::restart() {
    if (pid_ > 0) stop();
    start();
}

}  // namespace cvex::test
