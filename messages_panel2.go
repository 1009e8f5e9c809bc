package cambista

// Messages of the admin panel's reports, rules, users and transfers pages.
var (
	MsgPanelBadJSON        = Messages.Text("panel_bad_json", "{{.Field}} is not valid JSON for a rule: {{.Error}}")
	MsgPanelRuleSaved      = Messages.Text("panel_rule_saved", "Draft v{{.Version}} of rule #{{.ID}} ({{printf \"%q\" .Name}}) saved. Simulate it, then publish the drafts to put it in use.")
	MsgPanelRulesPublished = Messages.Text("panel_rules_published", "{{if .Count}}{{.Count}} drafts published: quotes use them from now on.{{else}}There was no draft to publish.{{end}}")
	MsgPanelRuleRetired    = Messages.Text("panel_rule_retired", "Rule #{{.ID}} ({{printf \"%q\" .Name}}) retired: quotes no longer use it.")

	MsgPanelProfileSaved  = Messages.Text("panel_profile_saved", "Profile of {{.User}} saved.")
	MsgPanelRoleChanged   = Messages.Text("panel_role_changed", "{{if .Granted}}{{.User}} now has the role {{.Role}}.{{else}}{{.User}} no longer has the role {{.Role}}.{{end}}")
	MsgPanelReferrerSet   = Messages.Text("panel_referrer_set", "{{if .Agent}}{{.User}} is now linked to the agent {{.Agent}}.{{else}}{{.User}} is no longer linked to an agent.{{end}}")
	MsgPanelAccountFrozen = Messages.Text("panel_account_frozen", "Account #{{.ID}} ({{.Currency}}) {{if .Frozen}}frozen{{else}}unfrozen{{end}}.")
)
