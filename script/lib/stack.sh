# Sourced by script/server, script/test, script/bench and script/stackctl:
# start and stop the local stack (PostgreSQL, WorkOS's emulator, the eleva
# pool, nginx, the mail catcher) under one state directory.  Every function works as root (PostgreSQL then runs
# as the postgres user, nginx workers and eleva workers as www-data) and
# as an ordinary user.

STACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The program reads its templates, static files and migrations from the
# checkout, not from where make install would put them.
export ELEVA_ROOT=$STACK_ROOT
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

stack_log() { printf '%s\n' "$*" >&2; }
stack_die() { stack_log "error: $*"; exit 1; }

# stack_init DIR: lay out DIR (var/ or a temporary directory).
stack_init() {
	STACK_VAR=$1
	mkdir -p "$STACK_VAR"
	chmod 755 "$STACK_VAR"
	if [ "$(id -u)" = 0 ]; then
		STACK_PG_USER=postgres
		STACK_WEB_USER=www-data
		stack_relocate_if_unreachable
	else
		STACK_PG_USER=
		STACK_WEB_USER=
	fi
	mkdir -p "$STACK_VAR"/{run,log,pg,nginx}
	# nginx and postgres workers run as other users when we are root.
	chmod 755 "$STACK_VAR" "$STACK_VAR/run" "$STACK_VAR/pg"
}

# As root, PostgreSQL (postgres) and nginx (www-data) must reach the state
# directory.  When they cannot (a checkout under /root), keep the state in
# /var/tmp and leave a symbolic link where it was asked for.
stack_relocate_if_unreachable() {
	local u real
	for u in postgres www-data; do
		runuser -u "$u" -- test -x "$STACK_VAR" 2>/dev/null && continue
		real=/var/tmp/eleva-$(printf '%s' "$STACK_VAR" | sha256sum | cut -c1-12)
		mkdir -p "$real"
		chmod 755 "$real"
		if [ -L "$STACK_VAR" ] || rmdir "$STACK_VAR" 2>/dev/null; then
			ln -sfn "$real" "$STACK_VAR"
		fi
		stack_log "note: $u cannot reach $STACK_VAR; the stack's state lives in $real"
		STACK_VAR=$real
		return 0
	done
}

# Run a command as the PostgreSQL user.
stack_as_pg() {
	if [ -n "$STACK_PG_USER" ]; then
		(cd / && runuser -u "$STACK_PG_USER" -- "$@")
	else
		"$@"
	fi
}

# stack_free_port: print a TCP port on 127.0.0.1 that nothing listens on.
stack_free_port() {
	local p i lo=32768 span
	# Below the kernel's ephemeral range, where no outgoing connection
	# (the tests make thousands) can take the port between this check and
	# the server's bind.
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
	span=$(( lo > 21000 ? lo - 20000 : 10000 ))
	for i in $(seq 1 200); do
		p=$(( (RANDOM % span) + (lo > 21000 ? 20000 : 10000) ))
		case " ${STACK_PORTS_TAKEN:-} " in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			STACK_PORTS_TAKEN="${STACK_PORTS_TAKEN:-} $p"
			echo "$p"
			return 0
		fi
	done
	return 1
}

stack_random_secret() {
	head -c 18 /dev/urandom | base64 | tr '+/' 'xy'
}

# stack_pg_start: create (first time) and start the cluster, with the
# owner role (eleva_owner, owns the database) and the app role (eleva_app).
stack_pg_start() {
	stack_pg_cluster
	if [ -n "$STACK_PG_FRESH" ]; then
		# The operator's script (README: deploy), read by this shell: the
		# postgres user may not be able to read the checkout.
		stack_as_pg "$PG_BIN/psql" -X -q -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres \
		    -d postgres -v owner_password="$PG_OWNER_PASSWORD" \
		    -v app_password="$PG_APP_PASSWORD" \
		    <"$STACK_ROOT/sql/bootstrap/roles.psql" >/dev/null ||
		    stack_die "cannot create the roles (sql/bootstrap/roles.psql)"
	fi
	# Clusters made before eleva_web existed get it now.
	stack_as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" \
	    -U postgres -d postgres -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles
	    WHERE rolname = 'eleva_web') THEN CREATE ROLE eleva_web NOLOGIN;
	    GRANT eleva_web TO eleva_app; END IF; END \$\$" || stack_die "cannot create eleva_web"
	DATABASE_URL="postgresql://eleva_app:$PG_APP_PASSWORD@127.0.0.1:$PG_PORT/eleva"
	DATABASE_OWNER_URL="postgresql://eleva_owner:$PG_OWNER_PASSWORD@127.0.0.1:$PG_PORT/eleva"
}

# stack_pg_cluster: create (first time: STACK_PG_FRESH=1) and start a bare
# cluster, no roles but postgres (trusted on its socket, PG_SOCKET_DIR;
# passwords over TCP on PG_PORT); PG_OWNER_PASSWORD and PG_APP_PASSWORD
# chosen for the roles to come, kept in run/pg.env.
stack_pg_cluster() {
	local data=$STACK_VAR/pg/data sock=$STACK_VAR/pg/run
	STACK_PG_FRESH=
	[ -x "$PG_BIN/initdb" ] || stack_die "PostgreSQL server binaries not found (run script/setup)"
	if [ -f "$STACK_VAR/run/pg.env" ]; then
		# shellcheck disable=SC1091
		. "$STACK_VAR/run/pg.env"
	else
		PG_PORT=$(stack_free_port) || stack_die "no free port"
		PG_OWNER_PASSWORD=$(stack_random_secret)
		PG_APP_PASSWORD=$(stack_random_secret)
	fi
	mkdir -p "$sock"
	touch "$STACK_VAR/log/postgres.log"
	[ -n "$STACK_PG_USER" ] && chown "$STACK_PG_USER" "$STACK_VAR/pg" "$sock" "$STACK_VAR/log/postgres.log"
	if [ ! -f "$data/PG_VERSION" ]; then
		stack_as_pg "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 \
		    --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
		    >"$STACK_VAR/log/initdb.log" 2>&1 ||
		    { cat "$STACK_VAR/log/initdb.log" >&2; stack_die "initdb failed"; }
		# A throwaway cluster: durability is not wanted, speed is.
		cat >>"$data/postgresql.conf" <<-CONF
		listen_addresses = '127.0.0.1'
		port = $PG_PORT
		unix_socket_directories = '$sock'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		max_connections = 200
		shared_buffers = 128MB
		CONF
		cat >"$STACK_VAR/run/pg.env" <<-ENV
		PG_PORT=$PG_PORT
		PG_OWNER_PASSWORD=$PG_OWNER_PASSWORD
		PG_APP_PASSWORD=$PG_APP_PASSWORD
		ENV
		STACK_PG_FRESH=1
	fi
	if stack_as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		stack_log "PostgreSQL is already running in $data: using it"
	else
		stack_as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$STACK_VAR/log/postgres.log" \
		    -w -t 60 start >/dev/null ||
		    { tail -n 20 "$STACK_VAR/log/postgres.log" >&2; stack_die "PostgreSQL did not start"; }
	fi
	PGDATA=$data
	PG_SOCKET_DIR=$sock
}

stack_pg_stop() {
	[ -f "$STACK_VAR/pg/data/postmaster.pid" ] || return 0
	stack_as_pg "$PG_BIN/pg_ctl" -D "$STACK_VAR/pg/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# --- the scale-out shape (script/test --scale-out, script/bench --scale-out) --

# stack_replica_start: a streaming replica of the primary (a base backup
# the first time), on REPLICA_PORT, as DATABASE_REPLICA_URL (the app role).
# With STACK_REPLICA_SYNC=1 the primary's commits wait until the replica
# has applied them (synchronous_commit = remote_apply): what the suite
# reads right after it writes is on the replica too, so public pages never
# show it stale there.  stack_replica_sync off before stopping it.
stack_replica_start() {
	local data=$STACK_VAR/pg/replica sock=$STACK_VAR/pg/run-replica
	mkdir -p "$sock"
	[ -n "$STACK_PG_USER" ] && chown "$STACK_PG_USER" "$sock"
	if [ ! -f "$data/PG_VERSION" ]; then
		REPLICA_PORT=$(stack_free_port) || stack_die "no free port"
		stack_as_pg "$PG_BIN/pg_basebackup" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres \
		    -D "$data" -R -X stream --checkpoint=fast >"$STACK_VAR/log/basebackup.log" 2>&1 ||
		    { cat "$STACK_VAR/log/basebackup.log" >&2; stack_die "pg_basebackup failed"; }
		# The primary's settings, but its own port and socket, and a
		# name the primary's synchronous_standby_names can use.
		stack_as_pg sh -c "cat >>'$data/postgresql.auto.conf'" <<-CONF
		port = $REPLICA_PORT
		unix_socket_directories = '$sock'
		primary_conninfo = 'host=$PG_SOCKET_DIR port=$PG_PORT user=postgres application_name=eleva_replica'
		hot_standby_feedback = on
		CONF
		echo "REPLICA_PORT=$REPLICA_PORT" >>"$STACK_VAR/run/pg.env"
	fi
	touch "$STACK_VAR/log/replica.log"
	[ -n "$STACK_PG_USER" ] && chown "$STACK_PG_USER" "$STACK_VAR/log/replica.log"
	stack_as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$STACK_VAR/log/replica.log" -w -t 60 start >/dev/null ||
	    { tail -n 20 "$STACK_VAR/log/replica.log" >&2; stack_die "the replica did not start"; }
	REPLICA_SOCKET_DIR=$sock
	DATABASE_REPLICA_URL="postgresql://eleva_app:$PG_APP_PASSWORD@127.0.0.1:$REPLICA_PORT/eleva"
	[ "${STACK_REPLICA_SYNC:-0}" = 1 ] && stack_replica_sync on
	return 0
}

# stack_pg_env: a running stack's PostgreSQL details (run/pg.env), for
# script/stackctl.
stack_pg_env() {
	# shellcheck disable=SC1091
	. "$STACK_VAR/run/pg.env"
	PG_SOCKET_DIR=$STACK_VAR/pg/run
}

stack_replica_stop() {
	[ -f "$STACK_VAR/pg/replica/postmaster.pid" ] || return 0
	stack_as_pg "$PG_BIN/pg_ctl" -D "$STACK_VAR/pg/replica" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# stack_replica_sync on|off: the primary's commits wait for the replica to
# apply them (on), or not (off: before the replica stops, or its replay is
# paused, else every commit would wait for it).
stack_replica_sync() {
	local names='' commit=off
	[ "$1" = on ] && names=eleva_replica commit=remote_apply
	stack_as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" \
	    -U postgres -d postgres -c "ALTER SYSTEM SET synchronous_standby_names = '$names'" \
	    -c "ALTER SYSTEM SET synchronous_commit = '$commit'" -c "SELECT pg_reload_conf()" >/dev/null ||
	    stack_die "cannot set the primary's synchronous replication"
}

# stack_pgbouncer_start: PgBouncer (Debian's) in transaction mode in front
# of the primary, for the app role, on PGBOUNCER_PORT; DATABASE_URL then
# goes through it.  PGBOUNCER_POOL_SIZE server connections (default 4:
# fewer than the pools' workers, so that requests share them).
stack_pgbouncer_start() {
	local dir=$STACK_VAR/pgbouncer
	command -v pgbouncer >/dev/null || stack_die "pgbouncer is not installed (run script/setup)"
	mkdir -p "$dir"
	PGBOUNCER_PORT=$(stack_free_port) || stack_die "no free port"
	cat >"$dir/pgbouncer.ini" <<-INI
	[databases]
	eleva = host=127.0.0.1 port=$PG_PORT dbname=eleva
	[pgbouncer]
	listen_addr = 127.0.0.1
	listen_port = $PGBOUNCER_PORT
	unix_socket_dir =
	auth_type = scram-sha-256
	auth_file = $dir/userlist.txt
	pool_mode = transaction
	default_pool_size = ${PGBOUNCER_POOL_SIZE:-4}
	max_client_conn = 1000
	server_reset_query =
	server_login_retry = 1
	ignore_startup_parameters = extra_float_digits
	logfile = $STACK_VAR/log/pgbouncer.log
	pidfile = $dir/pgbouncer.pid
	INI
	printf '"eleva_app" "%s"\n' "$PG_APP_PASSWORD" >"$dir/userlist.txt"
	chmod 600 "$dir/userlist.txt"
	touch "$STACK_VAR/log/pgbouncer.log"
	[ -n "$STACK_PG_USER" ] && chown -R "$STACK_PG_USER" "$dir" "$STACK_VAR/log/pgbouncer.log"
	# It refuses to run as root: as PostgreSQL's user, daemonized.
	stack_as_pg pgbouncer -d -q "$dir/pgbouncer.ini" ||
	    { tail -n 20 "$STACK_VAR/log/pgbouncer.log" >&2; stack_die "pgbouncer did not start"; }
	for _ in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$PGBOUNCER_PORT") 2>/dev/null && break
		sleep 0.1
	done
	PGBOUNCER_PID=$(cat "$dir/pgbouncer.pid")
	DATABASE_DIRECT_URL=$DATABASE_URL
	DATABASE_URL="postgresql://eleva_app:$PG_APP_PASSWORD@127.0.0.1:$PGBOUNCER_PORT/eleva"
}

stack_pgbouncer_stop() {
	local pid
	pid=$(cat "$STACK_VAR/pgbouncer/pgbouncer.pid" 2>/dev/null) || return 0
	stack_end "$pid" TERM 10
}

# stack_migrate BIN: apply migrations as the owner, once there are any, and
# install this stack's ELEVA_IDENTITY_KEY (stack_session_keys first).
stack_migrate() {
	if compgen -G "$STACK_ROOT/sql/*.sql" >/dev/null; then
		DATABASE_OWNER_URL=$DATABASE_OWNER_URL ELEVA_IDENTITY_KEY=$ELEVA_IDENTITY_KEY \
		    "$1" migrate ||
		    stack_die "migrations failed"
	fi
}

# stack_pool_start BIN [extra eleva serve flags]: start the pool on a unix
# socket under the state directory.
# stack_app_port: choose the public port (APP_PORT, else a free one) and
# APP_URL before the pool starts: the pool needs its own public URL.
stack_app_port() {
	APP_PORT=${APP_PORT:-$(stack_free_port)} || stack_die "no free port"
	APP_URL="http://127.0.0.1:$APP_PORT"
}

# stack_workos_start: WorkOS's own emulator (npm package workos, pinned in
# t/package-lock.json) on a free port, seeded with the demo accounts.
stack_workos_start() {
	local bin=$STACK_ROOT/t/node_modules/.bin/workos
	[ -x "$bin" ] || stack_die "WorkOS emulator missing: run script/setup"
	local try
	# A port can still be taken between the check and the bind: try another.
	for try in 1 2 3; do
		WORKOS_PORT=$(stack_free_port) || stack_die "no free port"
		"$bin" emulate --port "$WORKOS_PORT" --seed "$STACK_ROOT/t/workos-seed.yaml" --json \
		    >>"$STACK_VAR/log/workos.log" 2>&1 &
		WORKOS_PID=$!
		WORKOS_API_BASE="http://127.0.0.1:$WORKOS_PORT"
		for _ in $(seq 1 50); do
			curl -s -o /dev/null "$WORKOS_API_BASE/health" && break 2
			kill -0 "$WORKOS_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$WORKOS_PID" 2>/dev/null && break
	done
	WORKOS_API_KEY=sk_test_default
	WORKOS_CLIENT_ID=client_eleva_local
	stack_wait_http "$WORKOS_API_BASE/health" "$WORKOS_PID" 20 "$STACK_VAR/log/workos.log" \
	    "the WorkOS emulator did not start"
}

# stack_maildev_start: the mail catcher (npm package maildev, pinned in
# t/package-lock.json) on two free ports of 127.0.0.1, keeping its mail in
# the state directory's mail/: SMTP on MAILDEV_SMTP_PORT (SMTP_URL, plain:
# maildev offers no STARTTLS, which SMTP_TLS=try, the default, goes
# without), the web inbox and its REST API (/api/email) at MAILDEV_URL on
# MAILDEV_WEB_PORT.  stack_write_env writes them; stack_stop stops it.
stack_maildev_start() {
	local bin=$STACK_ROOT/t/node_modules/.bin/maildev try
	[ -x "$bin" ] || stack_die "maildev missing: run script/setup"
	mkdir -p "$STACK_VAR/mail"
	# A port can still be taken between the check and the bind: try others.
	for try in 1 2 3; do
		MAILDEV_SMTP_PORT=$(stack_free_port) || stack_die "no free port"
		MAILDEV_WEB_PORT=$(stack_free_port) || stack_die "no free port"
		"$bin" --smtp "$MAILDEV_SMTP_PORT" --ip 127.0.0.1 \
		    --web "$MAILDEV_WEB_PORT" --web-ip 127.0.0.1 \
		    --mail-directory "$STACK_VAR/mail" \
		    >>"$STACK_VAR/log/maildev.log" 2>&1 &
		MAILDEV_PID=$!
		MAILDEV_URL="http://127.0.0.1:$MAILDEV_WEB_PORT"
		for _ in $(seq 1 200); do
			curl -s -o /dev/null "$MAILDEV_URL/api/healthz" &&
			    (exec 3<>"/dev/tcp/127.0.0.1/$MAILDEV_SMTP_PORT") 2>/dev/null && break 2
			kill -0 "$MAILDEV_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$MAILDEV_PID" 2>/dev/null && break
	done
	SMTP_URL="smtp://127.0.0.1:$MAILDEV_SMTP_PORT"
	stack_wait_http "$MAILDEV_URL/api/healthz" "$MAILDEV_PID" 20 "$STACK_VAR/log/maildev.log" \
	    "maildev did not start"
}

# stack_maintenance_pages BIN: the pages nginx serves while
# $STACK_VAR/maintenance/on exists (nginx/eleva-common.conf), one per language.
stack_maintenance_pages() {
	mkdir -p "$STACK_VAR/maintenance"
	"$1" maintenance-pages --root "$STACK_ROOT" "$STACK_VAR/maintenance" >/dev/null ||
	    stack_die "the maintenance pages could not be made"
	chmod -R a+rX "$STACK_VAR/maintenance"
}

# stack_mailer_start BIN: eleva mailer delivering the outbox to $SMTP_URL
# (stack_maildev_start's catcher), with the pool's configuration, as the
# app role; its log is log/mailer.log.  stack_stop stops it.
stack_mailer_start() {
	local bin=$1
	[ -n "${SMTP_URL:-}" ] || stack_die "no SMTP_URL: start the mail catcher first"
	DATABASE_URL=$DATABASE_URL APP_BASE_URL=$APP_URL SESSION_KEYS=$SESSION_KEYS \
	    ELEVA_IDENTITY_KEY=$ELEVA_IDENTITY_KEY \
	    WORKOS_API_BASE=$WORKOS_API_BASE WORKOS_API_KEY=$WORKOS_API_KEY \
	    WORKOS_CLIENT_ID=$WORKOS_CLIENT_ID SMTP_URL=$SMTP_URL \
	    ELEVA_MAIL_POLL_MS=${ELEVA_MAIL_POLL_MS:-1000} \
	    "$bin" mailer --root "$STACK_ROOT" >>"$STACK_VAR/log/mailer.log" 2>&1 &
	MAILER_PID=$!
	sleep 0.3
	kill -0 "$MAILER_PID" 2>/dev/null || {
		tail -n 20 "$STACK_VAR/log/mailer.log" >&2
		stack_die "eleva mailer did not start"
	}
}

# stack_wait_http URL PID SECONDS LOG MESSAGE: wait until URL answers while
# PID lives; else show the end of LOG and stop with MESSAGE.
stack_wait_http() {
	local i
	for i in $(seq 1 $(( $3 * 10 ))); do
		curl -s -o /dev/null "$1" && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$4" >&2
	stack_die "$5"
}

# stack_session_keys BIN: a fresh session key, webhook secrets (ours, and
# the one WorkOS signs its events with) and identity key for this stack (before stack_migrate, which installs the last).
stack_session_keys() {
	SESSION_KEYS=$("$1" keygen) || stack_die "eleva keygen failed"
	WEBHOOK_SECRET=$("$1" keygen) || stack_die "eleva keygen failed"
	WORKOS_WEBHOOK_SECRET=$("$1" keygen) || stack_die "eleva keygen failed"
	ELEVA_IDENTITY_KEY=$("$1" keygen) || stack_die "eleva keygen failed"
}

# stack_seed_demo BIN: the demo accounts, in the emulator and locally.
stack_seed_demo() {
	DATABASE_OWNER_URL=$DATABASE_OWNER_URL WORKOS_API_BASE=$WORKOS_API_BASE \
	    WORKOS_API_KEY=$WORKOS_API_KEY WORKOS_CLIENT_ID=$WORKOS_CLIENT_ID \
	    "$1" seed-demo >"$STACK_VAR/log/seed-demo.log" 2>&1 ||
	    { cat "$STACK_VAR/log/seed-demo.log" >&2; stack_die "seeding the demo accounts failed"; }
}

stack_pool_start() {
	stack_pool_named "" "$@"
	ELEVA_SOCKET=$STACK_POOL_SOCKET ELEVA_PID=$STACK_POOL_PID
}

# stack_pool_b_start BIN [flags]: the scale-out shape's second pool, as a
# second host's would be (run/eleva-b.sock, log/eleva-b.log, ELEVA_B_PID).
stack_pool_b_start() {
	stack_pool_named -b "$@"
	ELEVA_B_SOCKET=$STACK_POOL_SOCKET ELEVA_B_PID=$STACK_POOL_PID
}

# stack_pool_named SUFFIX BIN [flags]: start a pool on run/eleva$SUFFIX.sock
# logging to log/eleva$SUFFIX.log: STACK_POOL_SOCKET, STACK_POOL_PID.
stack_pool_named() {
	local name=$1 bin=$2
	shift 2
	STACK_POOL_SOCKET=$STACK_VAR/run/eleva$name.sock
	local group_flags=()
	[ -n "$STACK_WEB_USER" ] && group_flags=(--socket-group "$STACK_WEB_USER" --user "$STACK_WEB_USER")
	DATABASE_URL=$DATABASE_URL APP_BASE_URL=$APP_URL SESSION_KEYS=$SESSION_KEYS \
	    WEBHOOK_SECRET=$WEBHOOK_SECRET ELEVA_IDENTITY_KEY=$ELEVA_IDENTITY_KEY \
	    WORKOS_WEBHOOK_SECRET=$WORKOS_WEBHOOK_SECRET \
	    WORKOS_API_BASE=$WORKOS_API_BASE WORKOS_API_KEY=$WORKOS_API_KEY \
	    WORKOS_CLIENT_ID=$WORKOS_CLIENT_ID ELEVA_DEMO_ACCOUNTS=1 \
	    "$bin" serve --listen "unix:$STACK_POOL_SOCKET" --root "$STACK_ROOT" \
	    "${group_flags[@]}" "$@" >>"$STACK_VAR/log/eleva$name.log" 2>&1 &
	STACK_POOL_PID=$!
	local i
	for i in $(seq 1 100); do
		[ -S "$STACK_POOL_SOCKET" ] && return 0
		kill -0 "$STACK_POOL_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$STACK_VAR/log/eleva$name.log" >&2
	stack_die "the eleva pool$name did not start"
}

# stack_nginx_conf PORT SOCKET DIR [STATIC_ROOT]: print an nginx.conf for the
# local stack with its state (pid, logs, temporary files) under DIR.  The
# CSP's form-action names the WorkOS origin (of $WORKOS_API_BASE, else
# WorkOS's own), where sign-out sends the browser.
stack_nginx_conf() {
	local user_line="" workos_origin
	[ "$(id -u)" = 0 ] && user_line="user www-data;"
	workos_origin=$(printf '%s' "${WORKOS_API_BASE:-https://api.workos.com}" | sed -E 's|^([a-z]+://[^/]+).*|\1|')
	mkdir -p "$3"/{run,log,nginx}
	# SOCKET may name several (the scale-out shape): one server line each.
	local servers='' sock
	for sock in $2; do
		servers="${servers:+$servers\\n\\t\\t}server unix:$sock;"
	done
	sed -e "s|@USER_LINE@|$user_line|" -e "s|@VAR@|$3|g" \
	    -e "s|@WORKOS_ORIGIN@|$workos_origin|g" \
	    -e "s|server unix:@SOCKET@;|$servers|" \
	    -e "s|@PORT@|$1|g" -e "s|@ROOT@|$STACK_ROOT|g" \
	    -e "s|@STATIC_ROOT@|${4:-$STACK_ROOT}|g" \
	    "$STACK_ROOT/nginx/dev.conf.in"
}

# nginx serves static/ from the checkout, or from a copy when the checkout
# is in a directory its workers cannot read (e.g. under /root).
stack_static_root() {
	STACK_STATIC_ROOT=$STACK_ROOT
	if [ -n "$STACK_WEB_USER" ] &&
	    ! runuser -u "$STACK_WEB_USER" -- test -r "$STACK_ROOT/static/css/eleva.css"; then
		rm -rf "$STACK_VAR/www"
		mkdir -p "$STACK_VAR/www"
		cp -R "$STACK_ROOT/static" "$STACK_VAR/www/static"
		chmod -R a+rX "$STACK_VAR/www"
		STACK_STATIC_ROOT=$STACK_VAR/www
	fi
}

stack_nginx_start() {
	stack_static_root
	[ -n "${APP_PORT:-}" ] || stack_app_port
	stack_nginx_conf "$APP_PORT" "$ELEVA_SOCKET${ELEVA_B_SOCKET:+ $ELEVA_B_SOCKET}" "$STACK_VAR" "$STACK_STATIC_ROOT" \
	    >"$STACK_VAR/nginx/nginx.conf"
	nginx -t -q -p "$STACK_VAR/nginx" -e "$STACK_VAR/log/nginx-error.log" \
	    -c "$STACK_VAR/nginx/nginx.conf" || stack_die "nginx configuration refused"
	nginx -p "$STACK_VAR/nginx" -e "$STACK_VAR/log/nginx-error.log" \
	    -c "$STACK_VAR/nginx/nginx.conf" &
	NGINX_PID=$!
	APP_URL="http://127.0.0.1:$APP_PORT"
	stack_wait_http "$APP_URL/static/css/eleva.css" "$NGINX_PID" 10 \
	    "$STACK_VAR/log/nginx-error.log" "nginx did not start on port $APP_PORT"
}

# stack_workos_webhook: the emulator delivers its events to the app, signed
# with WORKOS_WEBHOOK_SECRET, as WorkOS does once the endpoint is set in its
# dashboard.  (script/test leaves this to t/e2e/webhooks_workos.js, so that
# other tests' counts are not moved by deliveries they did not ask for.)
stack_workos_webhook() {
	curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $WORKOS_API_KEY" \
	    -H 'Content-Type: application/json' \
	    -d "{\"endpoint_url\": \"$APP_URL/webhooks/workos\", \"secret\": \"$WORKOS_WEBHOOK_SECRET\"}" \
	    "$WORKOS_API_BASE/webhook_endpoints" ||
	    stack_die "the emulator did not take the webhook endpoint"
}

# stack_write_env: the connection details, as shell assignments.
stack_write_env() {
	cat >"$STACK_VAR/run/env" <<-ENV
	APP_URL=$APP_URL
	DATABASE_URL=$DATABASE_URL
	DATABASE_OWNER_URL=$DATABASE_OWNER_URL
	ELEVA_PID=$ELEVA_PID
	NGINX_PID=$NGINX_PID
	ELEVA_SOCKET=$ELEVA_SOCKET
	ELEVA_VAR=$STACK_VAR
	ELEVA_STATIC_ROOT=$STACK_STATIC_ROOT
	PGDATA=$PGDATA
	PG_SOCKET_DIR=$PG_SOCKET_DIR
	WORKOS_PID=$WORKOS_PID
	WORKOS_API_BASE=$WORKOS_API_BASE
	WORKOS_API_KEY=$WORKOS_API_KEY
	WORKOS_CLIENT_ID=$WORKOS_CLIENT_ID
	SESSION_KEYS=$SESSION_KEYS
	WEBHOOK_SECRET=$WEBHOOK_SECRET
	WORKOS_WEBHOOK_SECRET=$WORKOS_WEBHOOK_SECRET
	ELEVA_IDENTITY_KEY=$ELEVA_IDENTITY_KEY
	MAILDEV_PID=${MAILDEV_PID:-}
	MAILER_PID=${MAILER_PID:-}
	MAILDEV_SMTP_PORT=${MAILDEV_SMTP_PORT:-}
	MAILDEV_WEB_PORT=${MAILDEV_WEB_PORT:-}
	MAILDEV_URL=${MAILDEV_URL:-}
	SMTP_URL=${SMTP_URL:-}
	ELEVA_B_PID=${ELEVA_B_PID:-}
	ELEVA_B_SOCKET=${ELEVA_B_SOCKET:-}
	PGBOUNCER_PID=${PGBOUNCER_PID:-}
	PGBOUNCER_PORT=${PGBOUNCER_PORT:-}
	DATABASE_DIRECT_URL=${DATABASE_DIRECT_URL:-$DATABASE_URL}
	PG_PORT=$PG_PORT
	DATABASE_REPLICA_URL=${DATABASE_REPLICA_URL:-}
	REPLICA_PORT=${REPLICA_PORT:-}
	REPLICA_SOCKET_DIR=${REPLICA_SOCKET_DIR:-}
	ENV
}

# stack_stop: stop whatever this shell started, newest first.
stack_stop() {
	stack_end "${NGINX_PID:-}" QUIT 10
	stack_end "${ELEVA_PID:-}" TERM 40
	stack_end "${ELEVA_B_PID:-}" TERM 40
	stack_end "${WORKOS_PID:-}" TERM 10
	stack_end "${MAILER_PID:-}" TERM 40
	stack_end "${MAILDEV_PID:-}" TERM 10
	stack_pgbouncer_stop
	stack_replica_stop
	stack_pg_stop
	NGINX_PID= ELEVA_PID= ELEVA_B_PID= WORKOS_PID= MAILDEV_PID= MAILER_PID=
}

# stack_end PID SIGNAL SECONDS: ask a running process (PID may be empty) to
# stop with SIGNAL, and kill it if it has not within SECONDS.
stack_end() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
	kill -"$2" "$1" 2>/dev/null || true
	stack_wait_pid "$1" "$3" || kill -KILL "$1" 2>/dev/null
}

# stack_wait_pid PID SECONDS: wait for a process to end; 1 on timeout.
stack_wait_pid() {
	local i
	for i in $(seq 1 $(( $2 * 10 ))); do
		kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
		sleep 0.1
	done
	return 1
}

# stack_build DIR [configure flags]: configure (once) and build in DIR.
stack_build() {
	local dir=$1
	shift
	if [ ! -x "$STACK_ROOT/configure" ] || [ "$STACK_ROOT/configure.ac" -nt "$STACK_ROOT/configure" ]; then
		(cd "$STACK_ROOT" && autoreconf -fi >/dev/null 2>&1) || stack_die "autoreconf failed"
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		(cd "$dir" && "$STACK_ROOT/configure" -q "$@") || stack_die "configure failed"
	fi
	make -s -C "$dir" -j"$(nproc)" >/dev/null || { make -C "$dir" 2>&1 | tail -n 30 >&2; stack_die "build failed"; }
}
