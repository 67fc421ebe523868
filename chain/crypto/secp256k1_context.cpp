#include "chain/crypto/secp256k1_context.hpp"

#include <secp256k1.h>
#include <sys/random.h>

#include <openssl/crypto.h>

namespace cvex::chain {

const secp256k1_context* secp256k1_ctx() {
    static secp256k1_context* const ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
        unsigned char seed[32];
        if (getrandom(seed, sizeof seed, 0) == static_cast<ssize_t>(sizeof seed)) {
            [[maybe_unused]] const int ok = secp256k1_context_randomize(c, seed);  // blinding is best effort
        }
        OPENSSL_cleanse(seed, sizeof seed);
        return c;
    }();
    return ctx;
}

}  // namespace cvex::chain
