package cambista

// state is implemented by every lifecycle's state type.
type state interface{ ~string }

// lifecycle is an explicit state machine: the states each state may move to.
type lifecycle[S state] struct {
	entity string
	next   map[S][]S
}

// check returns nil if from → to is allowed, else an ECONFLICT error that
// names the entity, its current state and the state asked for.
func (l lifecycle[S]) check(from, to S) error {
	for _, s := range l.next[from] {
		if s == to {
			return nil
		}
	}
	return Errorf(ECONFLICT, MsgIllegalTransition.Msg("Entity", WordFor(l.entity), "From", WordFor(string(from)), "To", WordFor(string(to))))
}
