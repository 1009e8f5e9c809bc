package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/rules"
)

// Rules: the versions by status, one form to write a rule (structured
// fields for what every rule has, JSON for its scope and effect), and a
// simulation under the published rules and under the drafts.

type rulesData struct {
	Published, Drafts, Retired []app.RuleView
	Kinds                      []rules.Kind
	Replaces                   []string // what publishing the drafts would retire besides their own versions
	Form                       ruleForm
	Sim                        *simView
}

// ruleForm is the rule as typed, with the messages to show beside its
// fields.
type ruleForm struct {
	ID        int64
	Name      string
	Kind      string
	Priority  string
	Condition string
	Scope     string
	Effect    string

	NameErr, ConditionErr, ScopeErr, EffectErr string
}

// simView is the simulation form as typed and, once run, both sides.
type simView struct {
	Amount, From, To, FromCountry, ToCountry, UserType string
	HasReferrer                                        bool
	Ran                                                bool
	Published, Draft                                   simSide
}

// simSide is one column: the quote and its explanation, or why there is
// none.
type simSide struct {
	Quote   *rules.Quote
	Explain []string
	Error   string
}

func (p *Panel) rulesList(w http.ResponseWriter, r *request) {
	p.rulesPage(w, r, http.StatusOK, ruleForm{Kind: string(rules.Commission), Priority: "0", Scope: "{}", Effect: "{}"}, nil)
}

func (p *Panel) ruleNew(w http.ResponseWriter, r *request) { p.rulesList(w, r) }

// ruleEdit fills the form with the rule's newest version: its draft, else
// its published version, else its last retired one.
func (p *Panel) ruleEdit(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	var found *app.RuleView
	if err == nil {
		for _, st := range []cambista.RuleStatus{cambista.RuleDraft, cambista.RulePublished, cambista.RuleRetired} {
			var list []app.RuleView
			if list, err = p.svc.Rules(r.Context(), st); err != nil {
				break
			}
			for i := range list {
				if list[i].Version.RuleID == id && (found == nil || list[i].Version.Version > found.Version.Version) {
					found = &list[i]
				}
			}
			if found != nil {
				break
			}
		}
		if err == nil && found == nil {
			err = cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNotFound.Msg("Entity", "rule", "ID", id))
		}
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	rl := found.Rule
	p.rulesPage(w, r, http.StatusOK, ruleForm{ID: int64(found.Version.RuleID), Name: rl.Name, Kind: string(rl.Kind),
		Priority: strconv.Itoa(rl.Priority), Condition: rl.Condition, Scope: indent(rl.Scope), Effect: indent(rl.Effect)}, nil)
}

func indent(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

func (p *Panel) rulesPage(w http.ResponseWriter, r *request, status int, f ruleForm, sim *simView) {
	ctx := r.Context()
	d := rulesData{Kinds: []rules.Kind{rules.Commission, rules.AgentShare, rules.Bonus, rules.Spread, rules.Limit}, Form: f, Sim: sim}
	var err error
	if d.Published, err = p.svc.Rules(ctx, cambista.RulePublished); err == nil {
		if d.Drafts, err = p.svc.Rules(ctx, cambista.RuleDraft); err == nil {
			d.Retired, err = p.svc.Rules(ctx, cambista.RuleRetired)
		}
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	for _, dr := range d.Drafts {
		for _, pub := range d.Published {
			if dr.Rule.Replaces(pub.Rule) {
				d.Replaces = append(d.Replaces, r.view.Msg(MsgRuleWillReplace.Msg("ID", dr.Version.RuleID, "Name", dr.Version.Name,
					"OldID", pub.Version.RuleID, "OldName", pub.Version.Name)))
			}
		}
	}
	if d.Sim == nil {
		d.Sim = &simView{UserType: string(cambista.UserTypeClient)}
	}
	var ids []cambista.UserID
	for _, list := range [][]app.RuleView{d.Published, d.Drafts, d.Retired} {
		for _, v := range list {
			ids = append(ids, v.Version.CreatedBy)
		}
	}
	p.names(r, ids...)
	p.show(w, r, status, "rules", "rules", d)
}

// decodeStrict reads a JSON object typed in a form, refusing fields the
// rule does not have (a typo would otherwise vanish).
func decodeStrict(field, text string, v any) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cambista.Errorf(cambista.EINVALID, MsgBadJSON.Msg("Field", field, "Error", err.Error()))
	}
	return nil
}

func (p *Panel) saveRule(w http.ResponseWriter, r *request) {
	f := ruleForm{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), Priority: strings.TrimSpace(r.PostFormValue("priority")),
		Condition: r.PostFormValue("condition"), Scope: r.PostFormValue("scope"), Effect: r.PostFormValue("effect")}
	rl := rules.Rule{Name: strings.TrimSpace(f.Name), Kind: rules.Kind(f.Kind), Condition: strings.TrimSpace(f.Condition)}
	var err error
	if s := r.PostFormValue("id"); s != "" && s != "0" {
		if f.ID, err = strconv.ParseInt(s, 10, 64); err != nil {
			err = cambista.Errorf(cambista.EINVALID, MsgBadNumber.Msg("Input", s))
		}
		rl.ID = f.ID
	}
	if err == nil && f.Priority != "" {
		if rl.Priority, err = strconv.Atoi(f.Priority); err != nil {
			err = cambista.Errorf(cambista.EINVALID, MsgBadNumber.Msg("Input", f.Priority))
		}
	}
	if err == nil {
		err = decodeStrict("scope", f.Scope, &rl.Scope)
	}
	if err == nil {
		err = decodeStrict("effect", f.Effect, &rl.Effect)
	}
	if err == nil {
		var v *cambista.RuleVersion
		if v, err = p.svc.SaveRule(r.Context(), r.PostFormValue(keyField), rl); err == nil {
			p.done(w, r, "/rules", MsgRuleSaved.Msg("ID", v.RuleID, "Version", v.Version, "Name", v.Name))
			return
		}
	}
	// A message about one field goes beside it; others above the page.
	m := cambista.ErrorMessage(err)
	field, _ := m.Data["Field"].(string)
	slot := map[string]*string{"condition": &f.ConditionErr, "scope": &f.ScopeErr, "effect": &f.EffectErr}
	name := field
	if i := strings.IndexByte(field, '.'); i > 0 {
		name = field[:i]
	}
	if m.ID == cambista.MsgRuleBadName.ID {
		name, slot["name"] = "name", &f.NameErr
	}
	if s, ok := slot[name]; ok && cambista.ErrorCode(err) == cambista.EINVALID {
		*s = r.view.Msg(m)
		p.rulesPage(w, r, statusOf(err), f, nil)
		return
	}
	p.formError(w, r, err, func(status int) { p.rulesPage(w, r, status, f, nil) })
}

func (p *Panel) publishRules(w http.ResponseWriter, r *request) {
	list, err := p.svc.PublishRules(r.Context(), r.PostFormValue(keyField))
	if err != nil {
		p.formError(w, r, err, func(status int) { p.rulesPage(w, r, status, ruleForm{Scope: "{}", Effect: "{}"}, nil) })
		return
	}
	var replaced []string
	for _, pub := range list {
		for _, old := range pub.Replaced {
			replaced = append(replaced, fmt.Sprintf("#%d (%s)", old.RuleID, old.Name))
		}
	}
	if len(replaced) > 0 {
		p.done(w, r, "/rules", MsgRulesReplaced.Msg("Count", len(list), "Replaced", strings.Join(replaced, ", ")))
		return
	}
	p.done(w, r, "/rules", MsgRulesPublished.Msg("Count", len(list)))
}

func (p *Panel) retireRule(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil && !p.confirmed(w, r, "/rules", MsgConfirmRetire.Msg("ID", id, "Name", r.PostFormValue("rule_name"))) {
		return
	}
	if err == nil {
		var v *cambista.RuleVersion
		if v, err = p.svc.RetireRule(r.Context(), r.PostFormValue(keyField), id); err == nil {
			p.done(w, r, "/rules", MsgRuleRetired.Msg("ID", v.RuleID, "Name", v.Name))
			return
		}
	}
	p.formError(w, r, err, func(status int) { p.rulesPage(w, r, status, ruleForm{Scope: "{}", Effect: "{}"}, nil) })
}

func (p *Panel) discardDraft(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		var v *cambista.RuleVersion
		if v, err = p.svc.DiscardDraft(r.Context(), r.PostFormValue(keyField), id); err == nil {
			p.done(w, r, "/rules", MsgDraftDiscarded.Msg("ID", v.RuleID, "Name", v.Name))
			return
		}
	}
	p.refuse(w, r, err, "/rules")
}

// simulate prices the request under the published rules and the drafts.
func (p *Panel) simulate(w http.ResponseWriter, r *request) {
	q := r.URL.Query()
	sv := &simView{Amount: q.Get("amount"), From: q.Get("from"), To: q.Get("to"), FromCountry: q.Get("from_country"),
		ToCountry: q.Get("to_country"), UserType: q.Get("user_type"), HasReferrer: q.Get("has_referrer") != ""}
	sim, err := p.svc.Simulate(r.Context(), app.SimulateRequest{
		QuoteRequest: app.QuoteRequest{Amount: sv.Amount, From: sv.From, To: sv.To, FromCountry: sv.FromCountry, ToCountry: sv.ToCountry},
		UserType:     cambista.UserType(sv.UserType), HasReferrer: sv.HasReferrer})
	if err != nil {
		p.formError(w, r, err, func(status int) {
			p.rulesPage(w, r, status, ruleForm{Kind: string(rules.Commission), Priority: "0", Scope: "{}", Effect: "{}"}, sv)
		})
		return
	}
	sv.Ran = true
	sv.Published = p.side(r, sim.Published, sim.PublishedErr)
	sv.Draft = p.side(r, sim.Draft, sim.DraftErr)
	p.rulesPage(w, r, http.StatusOK, ruleForm{Kind: string(rules.Commission), Priority: "0", Scope: "{}", Effect: "{}"}, sv)
}

// Describe is a rule's plain sentence in the reader's language.
func (v *view) Describe(rl rules.Rule) string {
	var parts []string
	for _, m := range rules.Describe(rl) {
		parts = append(parts, v.Msg(m))
	}
	return strings.Join(parts, " ")
}

func (p *Panel) side(r *request, q *rules.Quote, err error) simSide {
	if err != nil {
		return simSide{Error: r.view.Msg(cambista.ErrorMessage(err))}
	}
	s := simSide{Quote: q}
	for _, m := range rules.Explain(q) {
		s.Explain = append(s.Explain, r.view.Msg(m))
	}
	return s
}
