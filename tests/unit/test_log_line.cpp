// chain/log_line.hpp: the services' log lines.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/log_line.hpp"

using namespace cvex;

TEST_CASE("a log line is the UTC time, who, and the text") {
    std::ostringstream out;
    write_log_line(out, "cvex-oracle", "fulfilled 3 requests");
    CHECK(std::regex_match(out.str(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ cvex-oracle fulfilled 3 requests\n)")));
}

TEST_CASE("lines written from many threads at once stay whole") {
    std::ostringstream out;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&out, t] {
            for (int i = 0; i < 200; ++i) write_log_line(out, "bot-" + std::to_string(t), std::string(40, static_cast<char>('a' + t)));
        });
    for (auto& th : threads) th.join();
    std::istringstream in(out.str());
    std::string line;
    size_t n = 0;
    const std::regex whole(R"(\S+Z bot-(\d) ([a-h])\2{39})");
    while (std::getline(in, line)) {
        std::smatch m;
        INFO(line);
        REQUIRE(std::regex_match(line, m, whole));
        CHECK(m[2].str()[0] == 'a' + std::stoi(m[1].str()));
        ++n;
    }
    CHECK(n == 8 * 200);
}
