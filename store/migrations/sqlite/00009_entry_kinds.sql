-- +goose Up
-- A journal entry keeps what it is for as a kind and the parameters of the
-- kind's message (a JSON object of strings), rendered when read in the
-- reader's language, instead of English words matched back to a message.
-- Words were read as a kind's when they were exactly what its message
-- renders for the entry's ref_id; so they are here. Any other words become
-- a "text" entry that shows them as they are.
ALTER TABLE journal_entries ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE journal_entries ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
UPDATE journal_entries SET kind = CASE description
    WHEN 'transfer ' || ref_id THEN 'transfer'
    WHEN 'batch ' || ref_id || ' capital' THEN 'batch_capital'
    WHEN 'batch ' || ref_id || ' capital returned' THEN 'batch_returned'
    WHEN 'withdrawal' THEN 'withdrawal'
    ELSE 'text' END;
UPDATE journal_entries SET params = CASE kind
    WHEN 'text' THEN json_object('Text', description)
    WHEN 'withdrawal' THEN '{}'
    ELSE json_object('ID', CAST(ref_id AS TEXT)) END;
ALTER TABLE journal_entries DROP COLUMN description;

-- +goose Down
ALTER TABLE journal_entries ADD COLUMN description TEXT NOT NULL DEFAULT '';
UPDATE journal_entries SET description = CASE kind
    WHEN 'transfer' THEN 'transfer ' || json_extract(params, '$.ID')
    WHEN 'batch_capital' THEN 'batch ' || json_extract(params, '$.ID') || ' capital'
    WHEN 'batch_returned' THEN 'batch ' || json_extract(params, '$.ID') || ' capital returned'
    WHEN 'withdrawal' THEN 'withdrawal'
    ELSE COALESCE(json_extract(params, '$.Text'), kind) END;
ALTER TABLE journal_entries DROP COLUMN params;
ALTER TABLE journal_entries DROP COLUMN kind;
