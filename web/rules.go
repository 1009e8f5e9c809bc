package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/rules"
)

// Rules: the versions by status, a form per kind of rule to write one
// (ruleform.go), and a simulation under the published rules and under the
// drafts.

type rulesData struct {
	Published, Drafts, Retired []app.RuleView
	Kinds                      []rules.Kind
	Replaces                   []string // what publishing the drafts would retire besides their own versions
	Form                       ruleForm
	Choices                    ruleChoices
	Sim                        *simView
}

// ruleChoices are the scope's choices: what is configured, and any value
// the rule holds that no longer is, so that editing never drops it.
type ruleChoices struct {
	Countries  []choice
	Currencies []choice
	UserTypes  []choice
	BonusTo    []choice
}

// choice is one option of a select: its value and what the reader sees.
type choice struct{ Value, Text string }

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

var ruleKinds = []rules.Kind{rules.Commission, rules.AgentShare, rules.Bonus, rules.Spread, rules.Limit}

// rulesList shows the rules with the form of a new rule of the kind asked
// for (?kind=), a commission by default.
func (p *Panel) rulesList(w http.ResponseWriter, r *request) {
	p.rulesPage(w, r, http.StatusOK, newRuleForm(rules.Kind(r.URL.Query().Get("kind"))), nil)
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
	p.rulesPage(w, r, http.StatusOK, ruleFormOf(r.view.Lang, int64(found.Version.RuleID), found.Rule), nil)
}

// rulesPage shows the rules, the form f (or the form as sent back to be
// corrected or edited further) and the simulation.
func (p *Panel) rulesPage(w http.ResponseWriter, r *request, status int, f ruleForm, sim *simView) {
	ctx := r.Context()
	if sent := p.sentBack(w, r); sent.Typed.Has("kind") {
		f = readRuleForm(sent.Typed)
	}
	d := rulesData{Kinds: ruleKinds, Form: f, Sim: sim}
	var err error
	if d.Published, err = p.svc.Rules(ctx, cambista.RulePublished); err == nil {
		if d.Drafts, err = p.svc.Rules(ctx, cambista.RuleDraft); err == nil {
			d.Retired, err = p.svc.Rules(ctx, cambista.RuleRetired)
		}
	}
	if err == nil {
		d.Choices, err = p.ruleChoices(r, f)
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

// ruleChoices lists the countries and enabled currencies set up, the user
// types and a bonus's sides, with f's own values kept.
func (p *Panel) ruleChoices(r *request, f ruleForm) (ruleChoices, error) {
	var c ruleChoices
	countries, err := p.svc.Countries(r.Context())
	if err != nil {
		return c, err
	}
	currencies, err := p.svc.Currencies(r.Context())
	if err != nil {
		return c, err
	}
	for _, k := range countries {
		c.Countries = append(c.Countries, choice{k.Code, k.Code + " · " + k.Name})
	}
	for _, k := range currencies {
		if k.Enabled {
			c.Currencies = append(c.Currencies, choice{k.Code, k.Code})
		}
	}
	for _, t := range []cambista.UserType{cambista.UserTypeClient, cambista.UserTypeAgent} {
		c.UserTypes = append(c.UserTypes, choice{string(t), r.view.Word(t)})
	}
	for _, to := range []string{rules.ToAgent, rules.ToClient} {
		c.BonusTo = append(c.BonusTo, choice{to, r.view.Word(to)})
	}
	c.Countries = keep(c.Countries, f.FromCountry, f.ToCountry)
	c.Currencies = keep(c.Currencies, f.FromCurrency, f.ToCurrency, f.Currency)
	c.UserTypes = keep(c.UserTypes, f.UserType)
	c.BonusTo = keep(c.BonusTo, f.To)
	return c, nil
}

// keep adds to list the values it lacks, as they are.
func keep(list []choice, values ...string) []choice {
	for _, v := range values {
		if v != "" && !slices.ContainsFunc(list, func(c choice) bool { return c.Value == v }) {
			list = append(list, choice{v, v})
		}
	}
	return list
}

// editorURL is the page of the form f: the rule's own, or a new rule's.
func editorURL(f ruleForm) string {
	if f.ID != 0 {
		return "/rules/" + strconv.FormatInt(f.ID, 10) + "#editor"
	}
	return "/rules/new#editor"
}

// saveRule saves the form as a draft. Its other buttons only reshape the
// form (another kind, a tier row more or less) and send it back to be
// edited further; a refusal sends it back with the reason beside the
// field. Either way the answer is a redirect, so a reload posts nothing.
func (p *Panel) saveRule(w http.ResponseWriter, r *request) {
	if err := r.ParseForm(); err != nil {
		p.refuse(w, r, cambista.Errorf(cambista.EINVALID, MsgBadForm.Msg()), "/rules")
		return
	}
	f := readRuleForm(r.PostForm)
	if k := rules.Kind(r.PostFormValue("switch_kind")); k.Valid() || r.PostForm.Has("add_tier") || r.PostForm.Has("remove_tier") {
		if k.Valid() {
			f.Kind = k
		}
		if r.PostForm.Has("add_tier") {
			f.Extra = min(f.Extra+1, maxExtraRows)
		}
		if n, err := strconv.Atoi(r.PostFormValue("remove_tier")); err == nil && n > 0 {
			if n <= len(f.Tiers) {
				f.Tiers = slices.Delete(f.Tiers, n-1, n)
			} else if f.Extra > 0 {
				f.Extra--
			}
		}
		p.sendBack(w, r, refusal{Typed: f.values()}, editorURL(f))
		return
	}
	rl, bad := f.rule(r.view.Lang)
	var err error
	if bad == nil {
		var v *cambista.RuleVersion
		if v, err = p.svc.SaveRule(r.Context(), r.PostFormValue(keyField), rl); err == nil {
			p.done(w, r, "/rules", MsgRuleSaved.Msg("ID", v.RuleID, "Version", v.Version, "Name", v.Name))
			return
		}
	} else {
		err = cambista.Errorf(cambista.EINVALID, bad.Msg)
	}
	m, field := ruleRefusal(r.view.Lang, f.Kind, err, bad)
	p.refuseAs(w, r, err, m, field, f.values(), editorURL(f))
}

func (p *Panel) publishRules(w http.ResponseWriter, r *request) {
	list, err := p.svc.PublishRules(r.Context(), r.PostFormValue(keyField))
	if err != nil {
		p.refuse(w, r, err, "/rules")
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
	p.refuse(w, r, err, "/rules")
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
		// A GET form: the page itself says why, with what was typed.
		status := statusOf(err)
		if status == http.StatusInternalServerError {
			p.log.ErrorContext(r.Context(), "panel simulation failed", "err", err)
		}
		r.view.Error = r.view.Msg(cambista.ErrorMessage(err))
		p.rulesPage(w, r, status, newRuleForm(""), sv)
		return
	}
	sv.Ran = true
	sv.Published = p.side(r, sim.Published, sim.PublishedErr)
	sv.Draft = p.side(r, sim.Draft, sim.DraftErr)
	p.rulesPage(w, r, http.StatusOK, newRuleForm(""), sv)
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
