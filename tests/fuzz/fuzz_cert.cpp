// Fuzz target `cert`: AMD's VCEK/VLEK certificates as the host or the network hands them over
// (attest/cert/snp_cert.hpp): PEM or DER, one or several, through OpenSSL's X.509 parser, then
// cvex's own reading of the AMD extensions (structVersion, productName, the SPLs, hwID, cspId)
// and of the signature algorithm's RSASSA-PSS parameters, which the verifier checks on every
// certificate of the chain.
#include "attest/cert/snp_cert.hpp"
#include "attest/cert/snp_cert_internal.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::attest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView in = cvex::fuzz::bytes(data, size);
    auto certs = load_certificates(in);
    if (!certs) {
        CVEX_FUZZ_CHECK(!certs.error().message().empty(), "a certificate error has a message");
        return 0;
    }
    CVEX_FUZZ_CHECK(!certs->empty(), "a successful load yields a certificate");
    for (const auto& der : *certs) {
        if (auto parsed = detail::parse_cert(der, "certificate"); parsed)
            (void)detail::pss_profile_mismatch((*parsed)->x509.get());
        auto ext = parse_amd_extensions(der);
        if (!ext) {
            CVEX_FUZZ_CHECK(!ext.error().field.empty(), "an extension error names what was wrong");
            continue;
        }
        if (ext->hwid) CVEX_FUZZ_CHECK(!ext->hwid->empty(), "a present hwID has bytes");
        // The same DER parses the same way twice (the cache must not change the answer).
        auto twice = parse_amd_extensions(der);
        CVEX_FUZZ_CHECK(twice && twice->snp == ext->snp && twice->product_name == ext->product_name &&
                            twice->hwid == ext->hwid,
                        "parsing is deterministic");
    }
    return 0;
}
