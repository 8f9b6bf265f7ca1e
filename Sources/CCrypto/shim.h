// OpenSSL's libcrypto: HMAC-SHA256, constant-time comparison and the system's random bytes.
// No cryptography is written in this package; CourierAuth calls these.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
