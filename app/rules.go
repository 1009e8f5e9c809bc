package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/rules"
)

// rulesGeneration is the setting bumped whenever the published rules
// change, so every process knows when its compiled set is stale.
const rulesGeneration = "rules.generation"

type compiledSet struct {
	generation string
	set        *rules.Set
}

// publishedSet returns the compiled published rules, compiling them again
// only when their generation changed: compiling CEL takes far longer than
// quoting.
func (s *Service) publishedSet(c *call) (*rules.Set, error) {
	gen, err := c.tx.Setting(c.ctx, rulesGeneration)
	if err != nil {
		return nil, err
	}
	if cached := s.published.Load(); cached != nil && cached.generation == gen {
		return cached.set, nil
	}
	versions, err := c.tx.RuleVersions(c.ctx, cambista.RulePublished)
	if err != nil {
		return nil, err
	}
	rs, err := decodeRules(versions)
	if err != nil {
		return nil, err
	}
	set, err := rules.NewSet(rs)
	if err != nil {
		return nil, err
	}
	s.published.Store(&compiledSet{generation: gen, set: set})
	return set, nil
}

func decodeRules(versions []*cambista.RuleVersion) ([]rules.Rule, error) {
	out := make([]rules.Rule, 0, len(versions))
	for _, v := range versions {
		r, err := decodeRule(v)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func decodeRule(v *cambista.RuleVersion) (rules.Rule, error) {
	var r rules.Rule
	if err := json.Unmarshal(v.Definition, &r); err != nil {
		return r, fmt.Errorf("rule %d v%d: %w", v.RuleID, v.Version, err)
	}
	r.ID, r.Version = int64(v.RuleID), v.Version
	return r, nil
}

// RuleView is a stored rule version with its definition decoded.
type RuleView struct {
	Version *cambista.RuleVersion
	Rule    rules.Rule
}

// Rules lists rule versions in a status.
func (s *Service) Rules(ctx context.Context, status cambista.RuleStatus) ([]RuleView, error) {
	return view(ctx, s, cambista.ActManageRules, func(tx Tx, _ cambista.Actor) ([]RuleView, error) {
		versions, err := tx.RuleVersions(ctx, status)
		if err != nil {
			return nil, err
		}
		out := make([]RuleView, 0, len(versions))
		for _, v := range versions {
			r, err := decodeRule(v)
			if err != nil {
				return nil, err
			}
			out = append(out, RuleView{Version: v, Rule: r})
		}
		return out, nil
	})
}

// SaveRule saves a draft: a new rule when Rule.ID is zero, else a new
// version of that rule, replacing any earlier draft of it. The rule is
// validated (CEL type-checked) first; nothing changes what quotes use until
// PublishRules.
func (s *Service) SaveRule(ctx context.Context, key string, r rules.Rule) (*cambista.RuleVersion, error) {
	return mutate(ctx, s, cambista.ActManageRules, key, r, func(c *call) (*cambista.RuleVersion, error) {
		return saveDraft(c, r)
	})
}

// Publication is a rule version just published and the published versions
// of other rules it replaced (rules.Rule.Replaces), now retired.
type Publication struct {
	*cambista.RuleVersion
	Replaced []*cambista.RuleVersion
}

// SaveAndPublishRule saves r as a draft and publishes that draft alone, in
// one transaction: a publish that fails leaves no draft behind. Each step
// is audited as in SaveRule and PublishRule.
func (s *Service) SaveAndPublishRule(ctx context.Context, key string, r rules.Rule) (*Publication, error) {
	return mutate(ctx, s, cambista.ActManageRules, key, r, func(c *call) (*Publication, error) {
		v, err := saveDraft(c, r)
		if err != nil {
			return nil, err
		}
		return publishOne(c, v.ID)
	})
}

// saveDraft is SaveRule in the caller's transaction.
func saveDraft(c *call, r rules.Rule) (*cambista.RuleVersion, error) {
	ctx := c.ctx
	currencies, err := c.tx.Currencies(ctx)
	if err != nil {
		return nil, err
	}
	if err := rules.Validate(r, lookup(currencies)); err != nil {
		return nil, err
	}
	if r.ID != 0 {
		drafts, err := c.tx.RuleVersions(ctx, cambista.RuleDraft)
		if err != nil {
			return nil, err
		}
		known := false
		for _, d := range drafts {
			if int64(d.RuleID) == r.ID {
				if err := c.tx.UpdateRuleStatus(ctx, d.ID, cambista.RuleRetired); err != nil {
					return nil, err
				}
			}
		}
		if _, err := c.tx.RuleVersion(ctx, cambista.ID(r.ID)); err == nil {
			known = true
		}
		if !known {
			return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNotFound.Msg("Entity", "rule", "ID", r.ID))
		}
	}
	def, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	v := &cambista.RuleVersion{RuleID: cambista.ID(r.ID), Status: cambista.RuleDraft, Name: r.Name, Priority: r.Priority,
		Definition: def, CreatedBy: c.actor.UserID}
	if err := c.tx.CreateRule(ctx, v); err != nil {
		return nil, err
	}
	return v, c.audit("rule", v.ID, nil, v)
}

// PublishRules makes every draft current: each replaces its rule's
// published version, and any other published rule it replaces
// (rules.Rule.Replaces), which are retired. It returns what it published.
func (s *Service) PublishRules(ctx context.Context, key string) ([]*Publication, error) {
	return mutate(ctx, s, cambista.ActManageRules, key, "publish", func(c *call) ([]*Publication, error) {
		return publish(c, 0)
	})
}

// PublishRule makes one draft version current, as PublishRules does, and
// leaves every other draft a draft: what someone else is still preparing
// is not published with it.
func (s *Service) PublishRule(ctx context.Context, key string, version cambista.ID) (*Publication, error) {
	return mutate(ctx, s, cambista.ActManageRules, key, version, func(c *call) (*Publication, error) {
		return publishOne(c, version)
	})
}

// publishOne publishes the draft version; ENOTFOUND when it is not a draft.
func publishOne(c *call, version cambista.ID) (*Publication, error) {
	published, err := publish(c, version)
	if err != nil {
		return nil, err
	}
	if len(published) == 0 {
		return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNotFound.Msg("Entity", cambista.WordFor("rule version"), "ID", version))
	}
	return published[0], nil
}

// publish publishes the drafts, or only the draft version only when it is
// not zero.
func publish(c *call, only cambista.ID) ([]*Publication, error) {
	ctx := c.ctx
	drafts, err := c.tx.RuleVersions(ctx, cambista.RuleDraft)
	if err != nil {
		return nil, err
	}
	if only != 0 {
		drafts = slices.DeleteFunc(drafts, func(d *cambista.RuleVersion) bool { return d.ID != only })
	}
	if len(drafts) == 0 {
		return nil, nil
	}
	published, err := c.tx.RuleVersions(ctx, cambista.RulePublished)
	if err != nil {
		return nil, err
	}
	draftRules, err := decodeRules(drafts)
	if err != nil {
		return nil, err
	}
	current := map[cambista.ID]*cambista.RuleVersion{}
	for _, p := range published {
		current[p.RuleID] = p
	}
	// What each draft replaces: its own rule's published version, and the
	// other published rules of the same kind over the same quotes.
	gone := map[cambista.ID]bool{}
	for _, d := range drafts {
		gone[d.RuleID] = true
	}
	replaced := make([][]*cambista.RuleVersion, len(drafts))
	for i := range drafts {
		for _, p := range published {
			if gone[p.RuleID] {
				continue
			}
			pr, err := decodeRule(p)
			if err != nil {
				return nil, err
			}
			if draftRules[i].Replaces(pr) {
				replaced[i] = append(replaced[i], p)
				gone[p.RuleID] = true
			}
		}
	}
	// The set to be published must compile as a whole.
	all := make([]*cambista.RuleVersion, 0, len(published)+len(drafts))
	for _, p := range published {
		if !gone[p.RuleID] {
			all = append(all, p)
		}
	}
	all = append(all, drafts...)
	rs, err := decodeRules(all)
	if err != nil {
		return nil, err
	}
	if _, err := rules.NewSet(rs); err != nil {
		return nil, err
	}
	out := make([]*Publication, 0, len(drafts))
	for i, d := range drafts {
		if old := current[d.RuleID]; old != nil {
			if err := c.tx.UpdateRuleStatus(ctx, old.ID, cambista.RuleRetired); err != nil {
				return nil, err
			}
		}
		for _, p := range replaced[i] {
			if err := retire(c, p); err != nil {
				return nil, err
			}
		}
		if err := c.tx.UpdateRuleStatus(ctx, d.ID, cambista.RulePublished); err != nil {
			return nil, err
		}
		d.Status, d.PublishedAt = cambista.RulePublished, c.tx.Now()
		if err := c.audit("rule", d.ID, nil, d); err != nil {
			return nil, err
		}
		out = append(out, &Publication{RuleVersion: d, Replaced: replaced[i]})
	}
	return out, bumpGeneration(c)
}

// retire takes the published version p out of use, audited.
func retire(c *call, p *cambista.RuleVersion) error {
	before := *p
	if err := c.tx.UpdateRuleStatus(c.ctx, p.ID, cambista.RuleRetired); err != nil {
		return err
	}
	p.Status = cambista.RuleRetired
	return c.audit("rule", p.ID, before, p)
}

// RetireRule takes a published rule out of use at once.
func (s *Service) RetireRule(ctx context.Context, key string, ruleID cambista.ID) (*cambista.RuleVersion, error) {
	return mutate(ctx, s, cambista.ActManageRules, key, ruleID, func(c *call) (*cambista.RuleVersion, error) {
		published, err := c.tx.RuleVersions(ctx, cambista.RulePublished)
		if err != nil {
			return nil, err
		}
		for _, p := range published {
			if p.RuleID != ruleID {
				continue
			}
			if err := retire(c, p); err != nil {
				return nil, err
			}
			return p, bumpGeneration(c)
		}
		return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNotFound.Msg("Entity", "rule", "ID", ruleID))
	})
}

// DiscardDraft drops a rule's draft unpublished: it is retired, as a draft
// that a newer one replaces is, and no quote ever used it; the rule's
// published version, if any, stays in use. ENOTFOUND when the rule has no
// draft.
func (s *Service) DiscardDraft(ctx context.Context, key string, ruleID cambista.ID) (*cambista.RuleVersion, error) {
	in := struct{ Discard cambista.ID }{ruleID}
	return mutate(ctx, s, cambista.ActManageRules, key, in, func(c *call) (*cambista.RuleVersion, error) {
		drafts, err := c.tx.RuleVersions(ctx, cambista.RuleDraft)
		if err != nil {
			return nil, err
		}
		for _, d := range drafts {
			if d.RuleID != ruleID {
				continue
			}
			before := *d
			if err := c.tx.UpdateRuleStatus(ctx, d.ID, cambista.RuleRetired); err != nil {
				return nil, err
			}
			d.Status = cambista.RuleRetired
			return d, c.audit("rule", d.ID, before, d)
		}
		return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNoDraft.Msg("ID", ruleID))
	})
}

func bumpGeneration(c *call) error {
	gen, err := c.tx.Setting(c.ctx, rulesGeneration)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(gen)
	return c.tx.SetSetting(c.ctx, rulesGeneration, strconv.Itoa(n+1), c.actor.UserID)
}

// SimulateRequest is a quote to price for a hypothetical client.
type SimulateRequest struct {
	QuoteRequest
	UserType    cambista.UserType
	HasReferrer bool
}

// Simulation compares what the published rules and the drafts (laid over
// them) would quote. Each side has its quote or the error it gives.
type Simulation struct {
	Published    *rules.Quote
	PublishedErr error
	Draft        *rules.Quote
	DraftErr     error
}

// Simulate prices a request under the published rules and under the
// drafts, saving nothing.
func (s *Service) Simulate(ctx context.Context, in SimulateRequest) (*Simulation, error) {
	in.normalize()
	return view(ctx, s, cambista.ActManageRules, func(tx Tx, actor cambista.Actor) (*Simulation, error) {
		c := &call{ctx: ctx, tx: tx, actor: actor}
		if in.UserType == "" {
			in.UserType = cambista.UserTypeClient
		}
		if err := in.UserType.Validate(); err != nil {
			return nil, err
		}
		probe := &cambista.User{ID: actor.UserID, Type: in.UserType}
		if in.HasReferrer {
			probe.ReferrerID = "0"
		}
		ri, err := quoteInput(c, probe, in.QuoteRequest, false)
		if err != nil {
			return nil, err
		}
		published, err := tx.RuleVersions(ctx, cambista.RulePublished)
		if err != nil {
			return nil, err
		}
		drafts, err := tx.RuleVersions(ctx, cambista.RuleDraft)
		if err != nil {
			return nil, err
		}
		pub, err := decodeRules(published)
		if err != nil {
			return nil, err
		}
		over, err := decodeRules(drafts)
		if err != nil {
			return nil, err
		}
		// As publishing would: a draft takes the place of its rule's
		// published version and of the published rules it replaces.
		merged := map[int64]rules.Rule{}
		for _, r := range pub {
			if !slices.ContainsFunc(over, func(d rules.Rule) bool { return d.Replaces(r) }) {
				merged[r.ID] = r
			}
		}
		for _, r := range over {
			merged[r.ID] = r
		}
		draft := make([]rules.Rule, 0, len(merged))
		for _, r := range merged {
			draft = append(draft, r)
		}
		sim := &Simulation{}
		sim.Published, sim.PublishedErr = rules.Simulate(pub, ri)
		sim.Draft, sim.DraftErr = rules.Simulate(draft, ri)
		return sim, nil
	})
}
