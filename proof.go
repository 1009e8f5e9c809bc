package cambista

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ProofMaxBytes is the largest proof of payment kept: a photo or a PDF
// receipt, not an archive.
const ProofMaxBytes = 8 << 20

// ProofTypes are the content types a proof of payment may have, as sniffed
// from its bytes (never as the uploader named them).
var ProofTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}

// Proof is the file a cashier attached when completing a transfer: its
// bytes as downloaded, and their SHA-256, so that what the client and the
// panel see can be shown to be what was attached.
type Proof struct {
	TransferID  ID
	Filename    string
	ContentType string
	SHA256      string // hex
	Data        []byte `json:"-"`
	Size        int
	CreatedBy   UserID
	CreatedAt   time.Time
}

// ProofStore keeps proofs of payment, one per transfer.
type ProofStore interface {
	// SaveProof inserts p; ECONFLICT if the transfer has one already.
	SaveProof(ctx context.Context, p *Proof) error
	// Proof returns a transfer's proof with its bytes; ENOTFOUND.
	Proof(ctx context.Context, transfer ID) (*Proof, error)
	// ProofInfo returns a transfer's proof without its bytes; ENOTFOUND.
	ProofInfo(ctx context.Context, transfer ID) (*Proof, error)
}

// NewProof checks a downloaded file as a proof of payment — not empty, at
// most ProofMaxBytes, an image or a PDF by its bytes — and returns it with
// its content type and SHA-256. EINVALID otherwise, with what to do.
func NewProof(filename string, data []byte) (*Proof, error) {
	if len(data) > ProofMaxBytes {
		return nil, Errorf(EINVALID, MsgProofTooBig.Msg("Max", ProofMaxBytes>>20))
	}
	ct, _, _ := strings.Cut(http.DetectContentType(data), ";")
	if len(data) == 0 || !slices.Contains(ProofTypes, ct) {
		return nil, Errorf(EINVALID, MsgProofType.Msg("Type", ct))
	}
	sum := sha256.Sum256(data)
	name := path.Base(strings.ReplaceAll(filename, "\\", "/"))
	if name == "." || name == "/" || utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) {
		name = "proof"
	}
	return &Proof{Filename: name, ContentType: ct, SHA256: hex.EncodeToString(sum[:]), Data: data, Size: len(data)}, nil
}
