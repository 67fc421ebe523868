// The process's one libsecp256k1 context, randomised at creation (secp256k1.h: context
// randomisation blinds signing and public-key generation against side channels).
#pragma once

struct secp256k1_context_struct;

namespace cvex::chain {

const secp256k1_context_struct* secp256k1_ctx();

}  // namespace cvex::chain
