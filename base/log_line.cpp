#include "base/log_line.hpp"

#include <ctime>
#include <mutex>

namespace cvex {

std::string utc_timestamp() {
    char stamp[32];
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);  // std::gmtime shares one static buffer between threads
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return stamp;
}

void write_log_line(std::ostream& out, std::string_view who, std::string_view text) {
    static std::mutex m;
    std::string line = utc_timestamp();
    line.append(" ").append(who).append(" ").append(text).append("\n");
    const std::lock_guard lock(m);
    out << line << std::flush;
}

}  // namespace cvex
