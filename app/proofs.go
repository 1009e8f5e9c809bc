package app

import (
	"context"

	"github.com/cambista/cambista"
)

// TransferProof returns the proof of payment attached to a transfer, with
// its bytes, to whoever may read the transfer; ENOTFOUND when it has none.
func (s *Service) TransferProof(ctx context.Context, id cambista.ID) (*cambista.Proof, error) {
	return s.proof(ctx, id, cambista.ProofStore.Proof)
}

// TransferProofInfo is TransferProof without the bytes: what a page or a
// card shows of it.
func (s *Service) TransferProofInfo(ctx context.Context, id cambista.ID) (*cambista.Proof, error) {
	return s.proof(ctx, id, cambista.ProofStore.ProofInfo)
}

func (s *Service) proof(ctx context.Context, id cambista.ID, read func(cambista.ProofStore, context.Context, cambista.ID) (*cambista.Proof, error)) (*cambista.Proof, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.Proof, error) {
		t, err := tx.Transfer(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := canRead(actor, t, batchCashiers(ctx, tx)); err != nil {
			return nil, err
		}
		return read(tx, ctx, id)
	})
}
