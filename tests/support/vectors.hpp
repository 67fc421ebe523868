// Access to ../shared/ test vectors (never copied into the repository).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace cvex::test {

inline std::string shared_path(const std::string& rel) { return std::string(CVEX_SHARED_DIR) + "/" + rel; }

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot open test vector file " + path);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline nlohmann::json load_vectors(const std::string& rel) { return nlohmann::json::parse(read_file(shared_path(rel))); }

}  // namespace cvex::test
