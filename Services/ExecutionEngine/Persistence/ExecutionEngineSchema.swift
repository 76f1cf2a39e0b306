import TradewindStore

/// The execution engine's tables: orders (current state), fills, and the append-only,
/// hash-chained order audit trail that the database itself refuses to change.
enum ExecutionEngineSchema {
    static let name = "execution_engine"

    static let migrations: [Migration] = [
        Migration(version: 1, name: "orders, fills and the order audit trail", sql: """
            CREATE TABLE execution_engine.orders (
                client_order_id text PRIMARY KEY,
                intent_id text NOT NULL,
                strategy text NOT NULL,
                instrument text NOT NULL,
                side text NOT NULL,
                order_type text NOT NULL,
                time_in_force text NOT NULL,
                quantity numeric NOT NULL,
                limit_price numeric,
                status text NOT NULL,
                filled_quantity numeric NOT NULL,
                average_price numeric,
                fees numeric NOT NULL,
                venue_order_id text,
                reason text,
                event_count integer NOT NULL,
                created_time_ns bigint NOT NULL,
                updated_time_ns bigint NOT NULL,
                state text NOT NULL
            );
            CREATE INDEX orders_open ON execution_engine.orders (status)
                WHERE status IN ('new', 'submitted', 'accepted', 'partially_filled', 'pending_cancel');

            CREATE TABLE execution_engine.fills (
                client_order_id text NOT NULL,
                trade_id text NOT NULL,
                intent_id text NOT NULL,
                instrument text NOT NULL,
                side text NOT NULL,
                quantity numeric NOT NULL,
                price numeric NOT NULL,
                fee numeric NOT NULL,
                fee_currency text NOT NULL,
                liquidity text NOT NULL,
                time_ns bigint NOT NULL,
                PRIMARY KEY (client_order_id, trade_id)
            );

            CREATE TABLE execution_engine.order_audit_trail (
                sequence bigint PRIMARY KEY,
                client_order_id text NOT NULL,
                event_number integer NOT NULL,
                status text NOT NULL,
                content text NOT NULL,
                previous_hash bytea NOT NULL,
                hash bytea NOT NULL,
                UNIQUE (client_order_id, event_number)
            );
            CREATE FUNCTION execution_engine.refuse_audit_change() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'order_audit_trail is append-only: % refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
            CREATE TRIGGER order_audit_trail_no_update_delete
                BEFORE UPDATE OR DELETE ON execution_engine.order_audit_trail
                FOR EACH ROW EXECUTE FUNCTION execution_engine.refuse_audit_change();
            CREATE TRIGGER order_audit_trail_no_truncate
                BEFORE TRUNCATE ON execution_engine.order_audit_trail
                FOR EACH STATEMENT EXECUTE FUNCTION execution_engine.refuse_audit_change();
            """),
        Migration(version: 2, name: "venue reconciliation runs and their differences", sql: """
            CREATE TABLE execution_engine.reconciliations (
                run_id bigint PRIMARY KEY,
                trigger text NOT NULL,
                venue text NOT NULL,
                started_ns bigint NOT NULL,
                finished_ns bigint NOT NULL,
                status text NOT NULL,
                engine_open_orders integer NOT NULL,
                venue_open_orders integer NOT NULL,
                venue_trades integer NOT NULL,
                differences integer NOT NULL,
                error text
            );
            CREATE TABLE execution_engine.reconciliation_differences (
                run_id bigint NOT NULL,
                ordinal integer NOT NULL,
                kind text NOT NULL,
                instrument text,
                client_order_id text,
                venue_order_id text,
                detail text NOT NULL,
                action text NOT NULL,
                PRIMARY KEY (run_id, ordinal)
            );
            """),
        Migration(version: 3, name: "what the venue took for a fill when it charged another asset", sql: """
            ALTER TABLE execution_engine.fills ADD COLUMN commission numeric, ADD COLUMN commission_asset text;
            COMMENT ON COLUMN execution_engine.fills.fee IS 'fee in fee_currency (the quote asset): what PnL counts';
            COMMENT ON COLUMN execution_engine.fills.commission IS
                'what the venue took when it charged another asset (commission_asset), else NULL';
            """),
        Migration(version: 4, name: "order reasons as a stable code and a detail", sql: """
            ALTER TABLE execution_engine.orders ADD COLUMN reason_code text, ADD COLUMN reason_detail text;
            COMMENT ON COLUMN execution_engine.orders.reason_code IS
                'why the order was rejected, canceled or expired (OrderReasonCode), e.g. VENUE_UNAVAILABLE';
            COMMENT ON COLUMN execution_engine.orders.reason_detail IS 'free text: the venue''s code and message, values compared';
            COMMENT ON COLUMN execution_engine.orders.reason IS
                'free-text reason written before migration 4 (and by journals of older builds); read reason_code';

            -- the text older builds wrote ("LOCAL:INVALID_PRICE", "VENUE_UNAVAILABLE: …", "EXPIRED"),
            -- read as OrderReason(legacy:) reads it: a known code and the rest, else UNKNOWN and the text
            CREATE FUNCTION execution_engine.legacy_order_reason(reason text, OUT code text, OUT detail text)
                LANGUAGE plpgsql IMMUTABLE AS $$
                DECLARE
                    rest text := regexp_replace(reason, '^LOCAL:', '');
                    word text := substring(rest from '^[A-Z_]*');
                BEGIN
                    IF reason IS NULL THEN
                        RETURN;
                    ELSIF left(rest, 37) = 'SLIPPAGE_GUARD:CONVERTED_TO_IOC_LIMIT' THEN
                        code := 'SLIPPAGE_GUARD_CONVERTED';
                        detail := regexp_replace(substr(rest, 38), '^ *(: *)?', '');
                    ELSIF word IN ('EXPIRED', 'EXPIRED_IN_MATCH') THEN
                        code := 'EXPIRED_AT_VENUE';
                        detail := word;
                    ELSIF word = 'REJECTED' THEN
                        code := 'REJECTED_AT_VENUE';
                        detail := word;
                    ELSIF word IN (
                        'INVALID_QUANTITY', 'INVALID_PRICE', 'NO_MARKET_PRICE', 'STALE_MARKET_PRICE', 'SLIPPAGE_GUARD',
                        'SLIPPAGE_GUARD_CONVERTED', 'UNKNOWN_INSTRUMENT', 'INVALID_REQUEST', 'VENUE_UNAVAILABLE',
                        'RATE_LIMITED', 'REJECTED_AT_VENUE', 'NOT_FOUND_AT_VENUE', 'NO_MARKET', 'DUPLICATE_CLIENT_ORDER_ID',
                        'INSUFFICIENT_BALANCE', 'FILTER_FAILURE', 'INVALID_PARAMETER', 'UNAUTHORIZED', 'CANCELED',
                        'UNFILLED_REMAINDER', 'CANCELED_AT_VENUE', 'EXPIRED_AT_VENUE', 'ORDER_NOT_OPEN', 'UNKNOWN_ORDER',
                        'CANCEL_REJECTED'
                    ) THEN
                        code := word;
                        detail := regexp_replace(substr(rest, length(word) + 1), '^ *(: *)?', '');
                    ELSE
                        code := 'UNKNOWN';
                        detail := reason;
                    END IF;
                END $$;

            UPDATE execution_engine.orders o SET (reason_code, reason_detail) =
                (SELECT l.code, l.detail FROM execution_engine.legacy_order_reason(o.reason) l)
                WHERE o.reason IS NOT NULL;

            -- a journal written by an older build still inserts `reason` alone after the upgrade
            CREATE FUNCTION execution_engine.fill_reason_code() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.reason IS NOT NULL AND NEW.reason_code IS NULL THEN
                        SELECT l.code, l.detail INTO NEW.reason_code, NEW.reason_detail
                            FROM execution_engine.legacy_order_reason(NEW.reason) l;
                    END IF;
                    RETURN NEW;
                END $$;
            CREATE TRIGGER orders_fill_reason_code BEFORE INSERT OR UPDATE ON execution_engine.orders
                FOR EACH ROW EXECUTE FUNCTION execution_engine.fill_reason_code();
            """),
    ]
}
