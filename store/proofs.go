package store

import (
	"context"

	"github.com/cambista/cambista"
)

func (t *tx) SaveProof(ctx context.Context, p *cambista.Proof) error {
	p.CreatedAt = t.now
	_, err := t.exec(ctx, `INSERT INTO transfer_proofs (transfer_id, filename, content_type, sha256, size, data, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.TransferID, p.Filename, p.ContentType, p.SHA256, len(p.Data), p.Data, p.CreatedBy, cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("proof", p.TransferID)
	}
	return err
}

func (t *tx) Proof(ctx context.Context, transfer cambista.ID) (*cambista.Proof, error) {
	return t.proof(ctx, transfer, "data")
}

func (t *tx) ProofInfo(ctx context.Context, transfer cambista.ID) (*cambista.Proof, error) {
	return t.proof(ctx, transfer, "NULL")
}

// proof reads a transfer's proof with the column data (its bytes, or NULL
// when the caller only needs to know of it).
func (t *tx) proof(ctx context.Context, transfer cambista.ID, data string) (*cambista.Proof, error) {
	var p cambista.Proof
	var size, created int64
	err := t.row(ctx, `SELECT transfer_id, filename, content_type, sha256, size, `+data+`, created_by, created_at
		FROM transfer_proofs WHERE transfer_id = $1`, transfer).
		Scan(&p.TransferID, &p.Filename, &p.ContentType, &p.SHA256, &size, &p.Data, &p.CreatedBy, &created)
	if err != nil {
		return nil, one(err, "proof", transfer)
	}
	p.Size, p.CreatedAt = int(size), cambista.FromMicros(created)
	return &p, nil
}
