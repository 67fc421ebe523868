// The guest's HTTP API as bytes on a connection (enclave-app/http_server.hpp, HttpServer::answer):
// the server's own parser, limits and dispatch, without a socket. The `http` fuzz target feeds it
// hostile bytes; these are the behaviours it must keep.
#include <catch2/catch.hpp>

#include <string>

#include "enclave-app/http_server.hpp"

using cvex::enclave::HttpReply;
using cvex::enclave::HttpServer;

namespace {

HttpReply route(std::string_view method, std::string_view target) {
    if (target == "/health") return {200, "application/json", "{\"ok\":true}"};
    return {404, "text/plain", std::string(method) + " " + std::string(target) + "\n"};
}

size_t count(const std::string& s, const std::string& what) {
    size_t n = 0;
    for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("a GET is dispatched by target and answered with the handler's status and body") {
    const std::string out = HttpServer::answer("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", route);
    CHECK(out.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(out.find("Server: cvex-enclave\r\n") != std::string::npos);
    CHECK(out.find("Content-Type: application/json\r\n") != std::string::npos);
    CHECK(out.ends_with("\r\n\r\n{\"ok\":true}"));
}

TEST_CASE("pipelined keep-alive requests are answered in order; HTTP/1.0 closes after its answer") {
    const std::string out = HttpServer::answer(
        "GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\n\r\nGET /c HTTP/1.1\r\n\r\n", route);
    CHECK(count(out, "HTTP/1.") == 3);
    CHECK(out.find("GET /a") < out.find("GET /b"));
    CHECK(out.find("GET /c") == std::string::npos);  // after the HTTP/1.0 request the connection is closed
    CHECK(count(out, "{\"ok\":true}") == 0);         // HEAD: the length, not the body
}

TEST_CASE("anything but GET and HEAD is refused with 405 before the handler sees it") {
    const std::string out = HttpServer::answer("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi", route);
    CHECK(out.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0) == 0);
}

TEST_CASE("malformed, unfinished and oversized requests end the exchange unanswered") {
    CHECK(HttpServer::answer("GARBAGE\r\n\r\n", route).empty());
    CHECK(HttpServer::answer("GET /health HTTP/1.1\r\nHost: x\r\n", route).empty());
    const std::string huge = "GET /health HTTP/1.1\r\nX-Pad: " + std::string(20000, 'a') + "\r\n\r\n";
    CHECK(HttpServer::answer(huge, route).empty());
    // A well-formed request before a bad one is still answered.
    CHECK(count(HttpServer::answer("GET /health HTTP/1.1\r\n\r\n\x01\x02", route), "HTTP/1.1 200") == 1);
}
