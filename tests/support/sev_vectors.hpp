// AMD SEV-SNP vectors from ../shared/vectors/sev/: the manifest and the files it names.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "support/vectors.hpp"

namespace cvex::test {

inline const nlohmann::json& sev_manifest() {
    static const nlohmann::json m = load_vectors("vectors/sev/manifest.json");
    return m;
}

/// A file of the SEV vector set (report, certificate or chain), as bytes.
inline cvex::Bytes sev_vector(const std::string& name) {
    const std::string s = read_file(shared_path("vectors/sev/" + name));
    return cvex::Bytes(s.begin(), s.end());
}

}  // namespace cvex::test
