// Fuzz target `http`: the guest's HTTP API as a connection's raw bytes (attacker-controlled: the
// host owns the network). HttpServer::answer parses them with the server's own Beast parser and
// limits and dispatches each request as a connection does, so this covers request parsing,
// pipelining, keep-alive and the handler's dispatch by method and target.
#include <string>

#include "enclave-app/http_server.hpp"
#include "fuzz_check.hpp"

using namespace cvex::enclave;

namespace {

// The shape of cvex-enclave's handler: a few fixed routes, a 404 for the rest.
HttpReply route(std::string_view method, std::string_view target) {
    if (target == "/health") return {200, "application/json", "{\"ok\":true}"};
    if (target == "/metrics") return {200, "text/plain", "cvex_up 1\n"};
    if (target.rfind("/attestation", 0) == 0) return {200, "application/json", std::string(target)};
    return {404, "text/plain", std::string(method) + " " + std::string(target) + ": not found\n"};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string out = HttpServer::answer(cvex::fuzz::text(data, size), route);
    // Every answer is a whole HTTP/1.x response.
    CVEX_FUZZ_CHECK(out.empty() || out.rfind("HTTP/1.", 0) == 0, "the server writes only HTTP responses");
    return 0;
}
