package cambista

import "context"

// KeyStore keeps idempotency keys: the first request with a key runs, and
// a repeat of it gets the first result.
type KeyStore interface {
	// ClaimKey claims an idempotency key for a request with the given hash.
	// If the key was claimed before, it returns the earlier request's hash
	// and result with claimed false; the caller compares hashes.
	ClaimKey(ctx context.Context, key, requestHash string) (claimed bool, prevHash string, result []byte, err error)
	// SaveKeyResult stores the result of the request that claimed key.
	SaveKeyResult(ctx context.Context, key string, result []byte) error
}
