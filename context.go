package cambista

import "context"

// Actor is who performs an action: a user with the roles they held when the
// request arrived, or the system itself (schedulers, bootstrap).
type Actor struct {
	UserID UserID
	Roles  RoleSet
	Locale string
	Frozen bool // a frozen user keeps their roles but may act on nothing
	System bool
}

// SystemActor acts on behalf of the process (scheduler, bootstrap, CLI).
var SystemActor = Actor{UserID: "system", System: true, Roles: RoleSet(0).With(RoleSuperuser)}

// String names the actor in logs and audit events.
func (a Actor) String() string {
	if a.UserID == "" {
		return "anonymous"
	}
	return string(a.UserID)
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor carried by ctx, or the zero (anonymous)
// actor, who may do nothing that needs a role.
func ActorFromContext(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}
