-- team-ledger.sql — the Neuro-Pay Console team ledger on PostgreSQL (13 or newer).
--
-- Every desk of a team points at one database holding the shared accounts (never
-- a key), the last JSON seen of each checkout and customer, the journal of every
-- operation from every desk, and the cross-desk lock on an object while an
-- operation on it is pending.
--
-- A desk creates this schema itself on first connect when its role may (the
-- database's owner). To create it by hand instead, as the database's owner or a
-- superuser:
--
--   psql -v ON_ERROR_STOP=1 --single-transaction -d DATABASE -f team-ledger.sql
--
-- and give each desk's login role the rights of np_desk (created here when the
-- role running this may create roles; otherwise create it first:
-- CREATE ROLE np_desk NOLOGIN):
--
--   CREATE ROLE finance_2 LOGIN PASSWORD '...' IN ROLE np_desk;
--
-- The console reads this same file (compiled into it): each "-- @migration N"
-- section below is one versioned migration, run in one transaction that ends by
-- recording N in np_team.schema_version. Sections hold no BEGIN or COMMIT. A
-- desk refuses a schema whose version is newer than the last section it knows.

-- @migration 1
CREATE SCHEMA np_team;

CREATE TABLE np_team.schema_version (
  version    integer PRIMARY KEY,
  applied    timestamptz NOT NULL DEFAULT now(),
  applied_by text NOT NULL DEFAULT current_user
);

-- The change sequence: every insert or update of a shared row takes the next
-- number, so a desk that was away catches up with "change > last seen". Numbers
-- are taken under a transaction-scoped advisory lock held until commit, so they
-- become visible in order: a reader never sees change 12 while 11 is still to
-- come (a rolled-back transaction leaves a harmless gap).
CREATE SEQUENCE np_team.change_seq;

CREATE FUNCTION np_team.stamp_change () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
BEGIN
  PERFORM pg_advisory_xact_lock (7310512);   -- 'np' change order
  NEW.change := nextval ('np_team.change_seq');
  RETURN NEW;
END
$$;

CREATE TABLE np_team.accounts (
  id          uuid PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (length (name) BETWEEN 1 AND 100),
  base_url    text NOT NULL CHECK (base_url ~ '^https?://'),
  environment text NOT NULL CHECK (environment IN ('test', 'live')),
  updated     timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL,
  change      bigint NOT NULL
);

-- One row per running desk: a random id per connection, renewed while it runs.
CREATE TABLE np_team.desk_leases (
  id        uuid PRIMARY KEY,
  desk      text NOT NULL CHECK (length (desk) BETWEEN 1 AND 100),
  os_user   text NOT NULL,
  host      text NOT NULL,
  started   timestamptz NOT NULL DEFAULT now(),
  renewed   timestamptz NOT NULL DEFAULT now(),
  expires   timestamptz NOT NULL
);

CREATE TABLE np_team.checkouts (
  account_id uuid NOT NULL REFERENCES np_team.accounts (id),
  id         text NOT NULL CHECK (id ~ '^[A-Za-z0-9_.:-]{1,45}$'),
  json       jsonb NOT NULL CHECK (jsonb_typeof (json) = 'object'),
  seen       timestamptz NOT NULL DEFAULT now(),
  seen_by    text NOT NULL,
  change     bigint NOT NULL,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE np_team.customers (
  account_id uuid NOT NULL REFERENCES np_team.accounts (id),
  id         text NOT NULL CHECK (id ~ '^[A-Za-z0-9_.:-]{1,45}$'),
  json       jsonb NOT NULL CHECK (jsonb_typeof (json) = 'object'),
  seen       timestamptz NOT NULL DEFAULT now(),
  seen_by    text NOT NULL,
  change     bigint NOT NULL,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE np_team.journal (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES np_team.accounts (id),
  object_id   text CHECK (object_id ~ '^[A-Za-z0-9_.:-]{1,45}$'),  -- NULL for a create until it succeeds
  operation   text NOT NULL CHECK (operation IN ('create', 'capture', 'refund', 'update', 'delete',
                                                 'create-customer', 'delete-customer')),
  state       text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown')),
  amount      bigint CHECK (amount >= 0),                            -- minor units
  currency    text CHECK (currency ~ '^[A-Z]{3}$'),
  summary     text NOT NULL,
  details     jsonb,                                                 -- the request, never a key
  error_text  text,
  lease_id    uuid NOT NULL REFERENCES np_team.desk_leases (id),
  desk        text NOT NULL,
  os_user     text NOT NULL,
  host        text NOT NULL,
  started     timestamptz NOT NULL DEFAULT now(),
  finished    timestamptz,
  change      bigint NOT NULL,
  CHECK ((amount IS NULL) = (currency IS NULL)),
  CHECK ((state = 'pending') = (finished IS NULL))
);

-- The cross-desk lock: at most one pending operation per object, whichever desk
-- sends it. The database enforces it when the pending row is inserted.
CREATE UNIQUE INDEX journal_one_pending_per_object
  ON np_team.journal (account_id, object_id) WHERE state = 'pending';
CREATE INDEX journal_pending_by_lease ON np_team.journal (lease_id) WHERE state = 'pending';

-- What a refresh saw for an operation whose outcome is unknown: added beside the
-- journal row, which never changes once finished.
CREATE TABLE np_team.settlements (
  journal_id    bigint PRIMARY KEY REFERENCES np_team.journal (id),
  status_seen   text NOT NULL,
  settled       timestamptz NOT NULL DEFAULT now(),
  settled_by    text NOT NULL,
  change        bigint NOT NULL
);

-- The audit trail is append-only: a finished row never changes, no row is ever
-- deleted, and a pending row may only move to its outcome.
CREATE FUNCTION np_team.guard_journal () RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, np_team AS $$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'the team journal is append-only: its rows cannot be deleted'
      USING ERRCODE = 'NP001';
  END IF;
  IF OLD.state <> 'pending' THEN
    RAISE EXCEPTION 'journal entry % is % and can no longer change', OLD.id, OLD.state
      USING ERRCODE = 'NP001';
  END IF;
  IF NEW.id <> OLD.id OR NEW.account_id <> OLD.account_id OR NEW.operation <> OLD.operation
     OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.currency IS DISTINCT FROM OLD.currency
     OR NEW.summary <> OLD.summary OR NEW.details IS DISTINCT FROM OLD.details
     OR NEW.lease_id <> OLD.lease_id OR NEW.desk <> OLD.desk OR NEW.os_user <> OLD.os_user
     OR NEW.host <> OLD.host OR NEW.started <> OLD.started
     OR (OLD.object_id IS NOT NULL AND NEW.object_id IS DISTINCT FROM OLD.object_id) THEN
    RAISE EXCEPTION 'only the outcome of pending journal entry % may be recorded', OLD.id
      USING ERRCODE = 'NP001';
  END IF;
  IF NEW.state <> 'pending' THEN
    NEW.finished := now();
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION np_team.refuse_change () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'NP001';
END
$$;

CREATE TRIGGER a_guard BEFORE UPDATE OR DELETE ON np_team.journal
  FOR EACH ROW EXECUTE FUNCTION np_team.guard_journal ();
CREATE TRIGGER a_guard_truncate BEFORE TRUNCATE ON np_team.journal
  FOR EACH STATEMENT EXECUTE FUNCTION np_team.refuse_change ();
CREATE TRIGGER a_guard BEFORE UPDATE OR DELETE ON np_team.settlements
  FOR EACH ROW EXECUTE FUNCTION np_team.refuse_change ();
CREATE TRIGGER a_guard_truncate BEFORE TRUNCATE ON np_team.settlements
  FOR EACH STATEMENT EXECUTE FUNCTION np_team.refuse_change ();

-- Triggers fire in name order: the guard first, then the change number.
CREATE TRIGGER b_change BEFORE INSERT OR UPDATE ON np_team.accounts
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();
CREATE TRIGGER b_change BEFORE INSERT OR UPDATE ON np_team.checkouts
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();
CREATE TRIGGER b_change BEFORE INSERT OR UPDATE ON np_team.customers
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();
CREATE TRIGGER b_change BEFORE INSERT OR UPDATE ON np_team.journal
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();
CREATE TRIGGER b_change BEFORE INSERT ON np_team.settlements
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();

CREATE INDEX accounts_change ON np_team.accounts (change);
CREATE INDEX checkouts_change ON np_team.checkouts (change);
CREATE INDEX customers_change ON np_team.customers (change);
CREATE INDEX journal_change ON np_team.journal (change);
CREATE INDEX settlements_change ON np_team.settlements (change);

-- Least privilege for a desk: read everything; add and update accounts, checkouts
-- and customers; add journal rows and record only the outcome columns of a
-- pending one; add settlements; manage leases. No DELETE or TRUNCATE anywhere.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'np_desk') THEN
    BEGIN
      CREATE ROLE np_desk NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'np_desk was not created (no CREATEROLE): create it and run the GRANTs of team-ledger.sql';
      RETURN;
    END;
  END IF;
  GRANT USAGE ON SCHEMA np_team TO np_desk;
  GRANT SELECT ON ALL TABLES IN SCHEMA np_team TO np_desk;
  GRANT INSERT, UPDATE (name, base_url, environment, updated, updated_by) ON np_team.accounts TO np_desk;
  GRANT INSERT, UPDATE (json, seen, seen_by) ON np_team.checkouts, np_team.customers TO np_desk;
  GRANT INSERT, UPDATE (state, error_text, object_id) ON np_team.journal TO np_desk;
  GRANT INSERT ON np_team.settlements TO np_desk;
  GRANT INSERT, UPDATE (renewed, expires) ON np_team.desk_leases TO np_desk;
END
$$;

INSERT INTO np_team.schema_version (version) VALUES (1);

-- @migration 2
-- Live updates: every change is announced at commit on the channel
-- np_team_change, its number as the payload, so a desk that LISTENs applies
-- another desk's change within a second instead of polling. Notifications are
-- delivered in commit order, after the rows are visible.
CREATE OR REPLACE FUNCTION np_team.stamp_change () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
BEGIN
  PERFORM pg_advisory_xact_lock (7310512);   -- 'np' change order
  NEW.change := nextval ('np_team.change_seq');
  PERFORM pg_notify ('np_team_change', NEW.change::text);
  RETURN NEW;
END
$$;

INSERT INTO np_team.schema_version (version) VALUES (2);

-- @migration 3
-- Four-eyes refunds. A team account may have an approval limit per currency: a
-- refund above it is not sent but becomes a refund request, and only a
-- different person may approve it. A person is a database login role (give
-- each person, or each desk's OS user, a login role of their own IN ROLE
-- np_desk): the identity is session_user, which a desk cannot change by SQL
-- (SET ROLE changes current_user only), so the rules below hold even against a
-- desk typing SQL as its own role.
--
-- Approving is one INSERT: the refund's pending journal row, whose details name
-- the request ("approves_request") and carry the comment; the journal's
-- trigger checks the request and records the decision beside it, linking the
-- request, the decision and the operation. Rejecting and withdrawing go through
-- the functions below. Desks get no INSERT or UPDATE on requests or decisions.
CREATE TABLE np_team.approval_limits (
  account_id       uuid NOT NULL REFERENCES np_team.accounts (id),
  currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount           bigint NOT NULL CHECK (amount >= 0),             -- minor units; refunds above it need approval
  request_lifetime interval NOT NULL DEFAULT '7 days' CHECK (request_lifetime >= '0'),
  updated          timestamptz NOT NULL DEFAULT now(),
  updated_by       text NOT NULL DEFAULT session_user,
  change           bigint NOT NULL,
  PRIMARY KEY (account_id, currency)
);

CREATE TABLE np_team.refund_requests (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES np_team.accounts (id),
  object_id   text NOT NULL CHECK (object_id ~ '^[A-Za-z0-9_.:-]{1,45}$'),
  amount      bigint NOT NULL CHECK (amount > 0),
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason      text,
  details     jsonb,
  summary     text NOT NULL,
  requester   text NOT NULL DEFAULT session_user,   -- the login role: who may not approve
  desk        text NOT NULL,
  os_user     text NOT NULL,
  host        text NOT NULL,
  requested   timestamptz NOT NULL DEFAULT now(),
  expires     timestamptz NOT NULL,
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'approved', 'rejected', 'withdrawn')),
  change      bigint NOT NULL
);
CREATE INDEX refund_requests_change ON np_team.refund_requests (change);
CREATE INDEX refund_requests_open ON np_team.refund_requests (account_id, object_id) WHERE state = 'open';

CREATE TABLE np_team.refund_decisions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id  bigint NOT NULL UNIQUE REFERENCES np_team.refund_requests (id),
  decision    text NOT NULL CHECK (decision IN ('approved', 'rejected', 'withdrawn')),
  comment     text,
  journal_id  bigint UNIQUE REFERENCES np_team.journal (id),   -- the refund an approval sent
  decider     text NOT NULL DEFAULT session_user,
  desk        text NOT NULL,
  os_user     text NOT NULL,
  host        text NOT NULL,
  decided     timestamptz NOT NULL DEFAULT now(),
  change      bigint NOT NULL,
  CHECK ((decision = 'approved') = (journal_id IS NOT NULL))
);
CREATE INDEX refund_decisions_change ON np_team.refund_decisions (change);

-- A request takes its requester from the session and its expiry from the limit.
CREATE FUNCTION np_team.stamp_request () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
BEGIN
  NEW.requester := session_user;
  NEW.requested := now();
  NEW.state := 'open';
  NEW.expires := now() + coalesce ((SELECT request_lifetime FROM np_team.approval_limits
                                      WHERE account_id = NEW.account_id AND currency = NEW.currency),
                                   interval '7 days');
  RETURN NEW;
END
$$;
CREATE TRIGGER a_stamp BEFORE INSERT ON np_team.refund_requests
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_request ();

-- Records a decision on an open request: the only way a request changes.
CREATE FUNCTION np_team.decide_request (request bigint, verdict text, note text, journal bigint,
                                        desk_name text, desk_os_user text, desk_host text)
  RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
DECLARE
  r np_team.refund_requests;
  decision_id bigint;
BEGIN
  SELECT * INTO r FROM np_team.refund_requests WHERE id = request FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'approval refused: there is no refund request %', request USING ERRCODE = 'NP002';
  END IF;
  IF r.state <> 'open' THEN
    RAISE EXCEPTION 'approval refused: refund request % is already %', request, r.state USING ERRCODE = 'NP002';
  END IF;
  IF verdict <> 'withdrawn' AND r.expires <= now() THEN
    RAISE EXCEPTION 'approval refused: refund request % expired at %', request, r.expires USING ERRCODE = 'NP002';
  END IF;
  IF verdict = 'withdrawn' AND r.requester <> session_user THEN
    RAISE EXCEPTION 'approval refused: only % may withdraw refund request %', r.requester, request
      USING ERRCODE = 'NP002';
  END IF;
  IF verdict <> 'withdrawn' AND r.requester = session_user THEN
    RAISE EXCEPTION 'approval refused: % asked for refund request % and cannot decide it', r.requester, request
      USING ERRCODE = 'NP002';
  END IF;
  INSERT INTO np_team.refund_decisions (request_id, decision, comment, journal_id, decider, desk, os_user, host)
    VALUES (request, verdict, note, journal, session_user, desk_name, desk_os_user, desk_host)
    RETURNING id INTO decision_id;
  UPDATE np_team.refund_requests SET state = verdict WHERE id = request;
  RETURN decision_id;
END
$$;

CREATE FUNCTION np_team.reject_refund_request (request bigint, note text, desk_name text,
                                               desk_os_user text, desk_host text)
  RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
  SELECT np_team.decide_request (request, 'rejected', note, NULL, desk_name, desk_os_user, desk_host);
$$;

CREATE FUNCTION np_team.withdraw_refund_request (request bigint, note text, desk_name text,
                                                 desk_os_user text, desk_host text)
  RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
  SELECT np_team.decide_request (request, 'withdrawn', note, NULL, desk_name, desk_os_user, desk_host);
$$;

-- A refund above the account's limit needs an approval: its journal row must
-- name an open request for the same checkout, amount and currency, made by
-- someone else. Checked before the row is written...
CREATE FUNCTION np_team.check_refund_limit () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
DECLARE
  lim bigint;
  request bigint;
  r np_team.refund_requests;
BEGIN
  IF NEW.operation <> 'refund' THEN
    RETURN NEW;
  END IF;
  request := (NEW.details ->> 'approves_request')::bigint;
  IF request IS NULL THEN
    SELECT amount INTO lim FROM np_team.approval_limits
      WHERE account_id = NEW.account_id AND currency = NEW.currency;
    IF lim IS NOT NULL AND (NEW.amount IS NULL OR NEW.amount > lim) THEN
      RAISE EXCEPTION 'approval required: refunds above % minor units of % need a second person''s approval',
        lim, NEW.currency USING ERRCODE = 'NP003';
    END IF;
    RETURN NEW;
  END IF;
  SELECT * INTO r FROM np_team.refund_requests WHERE id = request;
  IF NOT FOUND OR r.account_id <> NEW.account_id OR r.object_id IS DISTINCT FROM NEW.object_id
     OR r.amount IS DISTINCT FROM NEW.amount OR r.currency IS DISTINCT FROM NEW.currency THEN
    RAISE EXCEPTION 'approval refused: the refund does not match refund request %', request
      USING ERRCODE = 'NP002';
  END IF;
  RETURN NEW;
END
$$;
-- ...and the decision recorded once it is (so it can name the row).
CREATE FUNCTION np_team.record_approval () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, np_team AS $$
BEGIN
  IF NEW.operation = 'refund' AND NEW.details ? 'approves_request' THEN
    PERFORM np_team.decide_request ((NEW.details ->> 'approves_request')::bigint, 'approved',
                                    NEW.details ->> 'approval_comment', NEW.id,
                                    NEW.desk, NEW.os_user, NEW.host);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER c_refund_limit BEFORE INSERT ON np_team.journal
  FOR EACH ROW EXECUTE FUNCTION np_team.check_refund_limit ();
CREATE TRIGGER d_record_approval AFTER INSERT ON np_team.journal
  FOR EACH ROW EXECUTE FUNCTION np_team.record_approval ();

CREATE TRIGGER b_change BEFORE INSERT OR UPDATE ON np_team.approval_limits
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();
CREATE TRIGGER b_change BEFORE INSERT OR UPDATE ON np_team.refund_requests
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();
CREATE TRIGGER b_change BEFORE INSERT ON np_team.refund_decisions
  FOR EACH ROW EXECUTE FUNCTION np_team.stamp_change ();
CREATE TRIGGER a_guard BEFORE UPDATE OR DELETE ON np_team.refund_decisions
  FOR EACH ROW EXECUTE FUNCTION np_team.refuse_change ();

REVOKE ALL ON FUNCTION np_team.decide_request (bigint, text, text, bigint, text, text, text) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'np_desk') THEN
    GRANT SELECT ON np_team.approval_limits, np_team.refund_requests, np_team.refund_decisions TO np_desk;
    GRANT INSERT, UPDATE (amount, request_lifetime, updated, updated_by) ON np_team.approval_limits TO np_desk;
    GRANT INSERT (account_id, object_id, amount, currency, reason, details, summary, desk, os_user, host)
      ON np_team.refund_requests TO np_desk;
    GRANT EXECUTE ON FUNCTION np_team.reject_refund_request (bigint, text, text, text, text),
                              np_team.withdraw_refund_request (bigint, text, text, text, text) TO np_desk;
  END IF;
END
$$;

INSERT INTO np_team.schema_version (version) VALUES (3);

-- @migration 4
-- The tamper-evident audit trail. Every journal row finished from now on takes
-- its place in a hash chain per account: chain_seq 1, 2, 3 ... in the order rows
-- finish, prev_hash the previous link's row_hash, and row_hash the SHA-256 of
-- the row's canonical content and prev_hash, computed by the desk that finishes
-- the row (np-journal-chain.h gives the serialization: the same as the local
-- ledger's chain, plus the amount, currency and host lines). A desk finishes a
-- row under the account's chain lock (np_team.lock_chain), reads the last link,
-- hashes and writes the outcome and the chain columns in one UPDATE; this
-- trigger takes the same lock and refuses a link that does not follow the last
-- one, so two desks never fork a chain. A finished row still never changes, and
-- the chain columns can be set only at the pending → finished transition.
-- Rows finished before this migration stay outside the chain.
ALTER TABLE np_team.journal
  ADD COLUMN chain_seq bigint CHECK (chain_seq > 0),
  ADD COLUMN prev_hash text CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  ADD COLUMN row_hash  text CHECK (row_hash ~ '^[0-9a-f]{64}$');
CREATE UNIQUE INDEX journal_chain ON np_team.journal (account_id, chain_seq) WHERE chain_seq IS NOT NULL;

-- The per-account chain lock, held until the finishing transaction ends.
CREATE FUNCTION np_team.lock_chain (account uuid) RETURNS void
  LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock (7310514, hashtext (account::text));
$$;

CREATE OR REPLACE FUNCTION np_team.guard_journal () RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, np_team AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'the team journal is append-only: its rows cannot be deleted'
      USING ERRCODE = 'NP001';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.state <> 'pending' OR NEW.chain_seq IS NOT NULL OR NEW.prev_hash IS NOT NULL
       OR NEW.row_hash IS NOT NULL THEN
      RAISE EXCEPTION 'a journal entry starts pending and takes its place in the audit chain when it finishes'
        USING ERRCODE = 'NP001';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.state <> 'pending' THEN
    RAISE EXCEPTION 'journal entry % is % and can no longer change', OLD.id, OLD.state
      USING ERRCODE = 'NP001';
  END IF;
  IF NEW.id <> OLD.id OR NEW.account_id <> OLD.account_id OR NEW.operation <> OLD.operation
     OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.currency IS DISTINCT FROM OLD.currency
     OR NEW.summary <> OLD.summary OR NEW.details IS DISTINCT FROM OLD.details
     OR NEW.lease_id <> OLD.lease_id OR NEW.desk <> OLD.desk OR NEW.os_user <> OLD.os_user
     OR NEW.host <> OLD.host OR NEW.started <> OLD.started
     OR (OLD.object_id IS NOT NULL AND NEW.object_id IS DISTINCT FROM OLD.object_id) THEN
    RAISE EXCEPTION 'only the outcome of pending journal entry % may be recorded', OLD.id
      USING ERRCODE = 'NP001';
  END IF;
  IF NEW.state = 'pending' THEN
    IF NEW.chain_seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.row_hash IS NOT NULL THEN
      RAISE EXCEPTION 'pending journal entry % has no place in the audit chain yet', OLD.id
        USING ERRCODE = 'NP001';
    END IF;
    RETURN NEW;
  END IF;
  -- Finishing: the next link of the account's chain, and only that.
  PERFORM np_team.lock_chain (NEW.account_id);
  SELECT chain_seq, row_hash INTO head_seq, head_hash FROM np_team.journal
    WHERE account_id = NEW.account_id AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  IF NEW.row_hash IS NULL OR NEW.chain_seq IS DISTINCT FROM coalesce (head_seq, 0) + 1
     OR NEW.prev_hash IS DISTINCT FROM head_hash THEN
    RAISE EXCEPTION 'journal entry % must finish as link % of its account''s audit chain', OLD.id,
      coalesce (head_seq, 0) + 1 USING ERRCODE = 'NP004';
  END IF;
  NEW.finished := now();
  RETURN NEW;
END
$$;

DROP TRIGGER a_guard ON np_team.journal;
CREATE TRIGGER a_guard BEFORE INSERT OR UPDATE OR DELETE ON np_team.journal
  FOR EACH ROW EXECUTE FUNCTION np_team.guard_journal ();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'np_desk') THEN
    GRANT UPDATE (chain_seq, prev_hash, row_hash) ON np_team.journal TO np_desk;
    GRANT EXECUTE ON FUNCTION np_team.lock_chain (uuid) TO np_desk;
  END IF;
END
$$;

INSERT INTO np_team.schema_version (version) VALUES (4);

-- @migration 5
-- 'refresh' rows: a desk's retrieve saw a checkout's status change (nothing was
-- sent). They enter the journal as every row does, pending then finished into
-- the audit chain, but they are no operation on the object: the cross-desk lock
-- ignores them, so a refresh never holds back another desk's capture or refund,
-- nor is held back by one.
ALTER TABLE np_team.journal DROP CONSTRAINT journal_operation_check;
ALTER TABLE np_team.journal ADD CONSTRAINT journal_operation_check
  CHECK (operation IN ('create', 'capture', 'refund', 'update', 'delete',
                       'create-customer', 'delete-customer', 'refresh'));
DROP INDEX np_team.journal_one_pending_per_object;
CREATE UNIQUE INDEX journal_one_pending_per_object
  ON np_team.journal (account_id, object_id) WHERE state = 'pending' AND operation <> 'refresh';

INSERT INTO np_team.schema_version (version) VALUES (5);

-- @migration 6
-- The team ledger's own id, made once with the ledger: a desk records which team
-- ledger each of its links (an account's UUID, a journal row's id) belongs to, so
-- a desk that leaves one team ledger and joins another (or this one again) never
-- takes one ledger's row 5 for another's. A copy of the database (pg_dump) keeps
-- it: it is the same ledger.
CREATE TABLE np_team.ledger_info (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  id       uuid NOT NULL DEFAULT gen_random_uuid ()
);
INSERT INTO np_team.ledger_info DEFAULT VALUES;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'np_desk') THEN
    GRANT SELECT ON np_team.ledger_info TO np_desk;
  END IF;
END
$$;

INSERT INTO np_team.schema_version (version) VALUES (6);
