#!/usr/bin/env bash
# A disposable, real WordPress on 127.0.0.1 for tests, from Debian's packages.
#
#   scripts/wordpress-env.sh install     apt-get install the Debian packages if missing
#   scripts/wordpress-env.sh up DIR      start a fresh instance in DIR, print its URL
#   scripts/wordpress-env.sh down DIR    stop it and remove DIR
#   scripts/wordpress-env.sh status DIR  exit 0 if the instance in DIR is running
#
# With WORDPRESS_ENV_OWNER_PID=PID in the environment, `up` also leaves a
# watcher that runs `down DIR` once process PID is gone (so a killed test
# run leaves no servers behind).
#
# An instance is self-contained in DIR:
#   DIR/db/               private MariaDB data dir (mariadbd --skip-networking,
#                         unix socket DIR/mysql.sock, running as root)
#   DIR/wp/               docroot: symlinks into /usr/share/wordpress plus its own
#                         wp-config.php (Debian's /etc/wordpress is not touched)
#   DIR/wp/wp-content/    themes/plugins/languages link to Debian's collection in
#                         /var/lib/wordpress/wp-content; uploads/ is private
#   DIR/cli-bootstrap.php loads WordPress in php-cli for this instance
#                         (php -d auto_prepend_file=DIR/cli-bootstrap.php file.php)
#   DIR/env.json          url, xmlrpc_url, user, password, port, socket, ... (mode 600)
#   DIR/logs/             mariadbd, php -S and install logs
#
# WordPress is served by PHP's built-in server (php -S 127.0.0.1:PORT) through
# tests/wordpress/php/router.php. The admin password is random, written only
# to DIR/env.json and never printed.
set -euo pipefail

# wordpress-theme-twentytwentythree is only a Recommends of wordpress, but the
# active theme decides what WordPress renders (e.g. [caption] as <figure> needs
# a theme with html5 support), so it is asked for explicitly.
# chromium: headless, for the test that opens the HTML report in a browser.
# python3-venv: Debian's python3 makes no virtual environment (no ensurepip) without it.
# jekyll, ruby-jekyll-redirect-from: the tests build the Jekyll layout's output (offline: no bundler needed).
PACKAGES=(wordpress wordpress-theme-twentytwentythree php-cli php-mysql php-xml mariadb-server chromium python3-venv
          jekyll ruby-jekyll-redirect-from)
WP_SRC=/usr/share/wordpress
WP_CONTENT_SRC=/var/lib/wordpress/wp-content
MARKER=.wordpress-env
ADMIN_USER=admin
PERMALINKS='/%year%/%monthnum%/%day%/%postname%/'

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PHP_HELPERS=$(cd "$SCRIPT_DIR/../tests/wordpress/php" && pwd)
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "wordpress-env: $*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------- install --

missing_packages() {
    local p status
    for p in "${PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        [ "$status" = installed ] || echo "$p"
    done
}

cmd_install() {
    local missing
    missing=$(missing_packages)
    if [ -z "$missing" ]; then
        log "already installed: ${PACKAGES[*]}"
        return 0
    fi
    [ "$(id -u)" = 0 ] || die "installing packages needs root; missing: $(echo $missing)"
    # Another apt/dpkg (e.g. one started in the background) may hold the
    # locks: wait for them rather than failing.
    local apt=(apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)
    local i
    for i in 1 2 3; do
        "${apt[@]}" update && break
        [ "$i" = 3 ] && die "apt-get update failed"
        log "apt-get update failed, retrying"; sleep 10
    done
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y $missing
    missing=$(missing_packages)
    [ -z "$missing" ] || die "still missing after apt-get install: $(echo $missing)"
    log "installed: ${PACKAGES[*]}"
}

# ---------------------------------------------------------------- helpers --

check_prerequisites() {
    local what missing=()
    for what in php mariadbd mariadb-install-db mariadb mariadb-admin setsid; do
        command -v "$what" >/dev/null 2>&1 || missing+=("$what")
    done
    [ -f "$WP_SRC/wp-settings.php" ] || missing+=("$WP_SRC")
    php -r 'exit(function_exists("mysqli_connect") && class_exists("DOMDocument") ? 0 : 1);' 2>/dev/null \
        || missing+=("php mysqli/xml extensions")
    [ ${#missing[@]} = 0 ] \
        || die "missing: ${missing[*]} (run: bash scripts/wordpress-env.sh install)"
}

abspath() { realpath -m -- "$1"; }

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# pid_is PID PATTERN: PID is alive and its command line contains PATTERN
# (guards against killing an unrelated process that reused a stale pid).
pid_is() {
    local pid=$1 pattern=$2
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

read_pid() { [ -f "$1" ] && tr -dc '0-9' <"$1" || true; }

wait_gone() {  # wait_gone PID TENTHS
    local i
    for ((i = 0; i < $2; i++)); do
        [ -d "/proc/$1" ] || return 0
        # A zombie child of ours counts as gone.
        grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    php -r '$s = stream_socket_server("tcp://127.0.0.1:0", $e, $m) or exit(1);
            $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'
}

stop_php() {
    local dir=$1 pid
    pid=$(read_pid "$dir/run/php.pid")
    if pid_is "$pid" "$dir/wp"; then
        # php -S runs in its own session (setsid): signal the whole group,
        # which includes its PHP_CLI_SERVER_WORKERS children.
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid" 50 || kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/run/php.pid"
}

stop_mariadb() {
    local dir=$1 pid
    pid=$(read_pid "$dir/run/mariadbd.pid")
    if pid_is "$pid" "$dir/db"; then
        # SIGTERM is mariadbd's normal shutdown (fast: --innodb-fast-shutdown=2,
        # the data is thrown away anyway).
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid" 150 || kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 50 || true
    fi
    rm -f "$dir/run/mariadbd.pid"
    # A socket that had to live outside DIR (path too long) has its own dir.
    if [ -f "$dir/run/socket-dir" ]; then
        local sdir
        sdir=$(cat "$dir/run/socket-dir")
        case "$sdir" in /tmp/wordpress-env-sock.*) rm -rf -- "$sdir" ;; esac
    fi
}

stop_watcher() {
    local dir=$1 pid
    pid=$(read_pid "$dir/run/watch.pid")
    # When the watcher itself runs `down`, it is this very process.
    if [ "$pid" != "$$" ] && pid_is "$pid" "$dir"; then
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/run/watch.pid"
}

start_watcher() {
    local dir=$1 owner=$2
    [[ "$owner" =~ ^[0-9]+$ ]] && [ -d "/proc/$owner" ] || die "WORDPRESS_ENV_OWNER_PID=$owner: no such process"
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; exec bash "$2" down "$3"' \
        wordpress-env-watch "$owner" "$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")" "$dir" </dev/null >>"$dir/logs/watch.log" 2>&1 &
    echo $! >"$dir/run/watch.pid"
}

is_running() {
    local dir=$1
    [ -f "$dir/env.json" ] || return 1
    pid_is "$(read_pid "$dir/run/php.pid")" "$dir/wp" || return 1
    pid_is "$(read_pid "$dir/run/mariadbd.pid")" "$dir/db" || return 1
    local port
    port=$(cat "$dir/run/port" 2>/dev/null || true)
    [ -n "$port" ] && port_open "$port"
}

# ------------------------------------------------------------------- down --

cmd_down() {
    [ $# = 1 ] || usage
    local dir
    dir=$(abspath "$1")
    if [ ! -e "$dir" ]; then
        log "nothing at $dir"
        return 0
    fi
    [ -f "$dir/$MARKER" ] || die "$dir was not made by wordpress-env.sh up; not removing it"
    stop_watcher "$dir"
    stop_php "$dir"
    stop_mariadb "$dir"
    rm -rf -- "$dir"
    log "stopped and removed $dir"
}

cmd_status() {
    [ $# = 1 ] || usage
    local dir
    dir=$(abspath "$1")
    if is_running "$dir"; then
        cat "$dir/run/url"
    else
        log "not running: $dir"
        return 1
    fi
}

# --------------------------------------------------------------------- up --

UP_DIR=
UP_OK=
on_up_exit() {
    [ -n "$UP_OK" ] || [ -z "$UP_DIR" ] && return 0
    log "up failed; stopping what was started (logs kept in $UP_DIR/logs)"
    local f
    for f in "$UP_DIR"/logs/*.log; do
        [ -s "$f" ] || continue
        echo "----- $f" >&2
        if [ "$(wc -l <"$f")" -le 40 ]; then
            cat "$f" >&2
        else  # Errors tend to be at the top (mariadb-install-db) or the bottom.
            head -n 12 "$f" >&2
            echo "[...]" >&2
            tail -n 20 "$f" >&2
        fi
    done
    stop_watcher "$UP_DIR" || true
    stop_php "$UP_DIR" || true
    stop_mariadb "$UP_DIR" || true
}

make_docroot() {
    local dir=$1 entry name
    mkdir -p "$dir/wp/wp-content/uploads"
    for entry in "$WP_SRC"/* "$WP_SRC"/.[!.]*; do
        [ -e "$entry" ] || [ -L "$entry" ] || continue
        name=$(basename "$entry")
        case "$name" in
            wp-config.php | wp-content | .htaccess) continue ;;
        esac
        ln -s "$entry" "$dir/wp/$name"
    done
    for name in themes plugins languages; do
        if [ -d "$WP_CONTENT_SRC/$name" ]; then
            ln -s "$WP_CONTENT_SRC/$name" "$dir/wp/wp-content/$name"
        elif [ -d "$WP_SRC/wp-content/$name" ]; then
            ln -s "$WP_SRC/wp-content/$name" "$dir/wp/wp-content/$name"
        fi
    done
    [ -e "$WP_SRC/wp-content/index.php" ] && ln -s "$WP_SRC/wp-content/index.php" "$dir/wp/wp-content/index.php"
    return 0
}

php_quote() {  # a PHP single-quoted string literal
    local s=${1//\\/\\\\}
    printf "'%s'" "${s//\'/\\\'}"
}

write_wp_config() {
    local dir=$1 url=$2 sock=$3 dbpass=$4 salts="" key
    for key in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
        salts+="define( '$key', '$(random_hex 32)' );"$'\n'
    done
    umask 077
    cat >"$dir/wp/wp-config.php" <<EOF
<?php
// Written by scripts/wordpress-env.sh for a disposable test instance.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wordpress' );
define( 'DB_PASSWORD', '$dbpass' );
define( 'DB_HOST', $(php_quote "localhost:$sock") );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$salts
\$table_prefix = 'wp_';

define( 'WP_HOME', $(php_quote "$url") );
define( 'WP_SITEURL', $(php_quote "$url") );
define( 'WP_CONTENT_DIR', $(php_quote "$dir/wp/wp-content") );
define( 'WP_CONTENT_URL', $(php_quote "$url/wp-content") );
define( 'WP_DEBUG', false );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'wp_auto_update_core', false );
define( 'WP_HTTP_BLOCK_EXTERNAL', true ); // Only this site itself; no network.
define( 'FS_METHOD', 'direct' );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
EOF
    cat >"$dir/cli-bootstrap.php" <<EOF
<?php
// Loads this instance's WordPress in php-cli (written by scripts/wordpress-env.sh).
// Use: php -d auto_prepend_file=$(basename "$dir")/cli-bootstrap.php script.php
// (or require it at the top level of a script; WordPress needs the global scope).
\$_SERVER['HTTP_HOST']       = $(php_quote "${url#http://}");
\$_SERVER['SERVER_NAME']     = '127.0.0.1';
\$_SERVER['SERVER_PORT']     = $(php_quote "${url##*:}");
\$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
\$_SERVER['REQUEST_METHOD']  = 'GET';
\$_SERVER['REQUEST_URI']     = '/';
\$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
// Let PHP report fatal errors itself (to stderr, exit status 255) instead of
// WordPress's "critical error" page on stdout.
if ( ! defined( 'WP_DISABLE_FATAL_ERROR_HANDLER' ) ) {
	define( 'WP_DISABLE_FATAL_ERROR_HANDLER', true );
}
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', $(php_quote "$dir/wp/") );
}
require_once ABSPATH . 'wp-load.php';
EOF
    umask 022
}

start_mariadb() {
    local dir=$1 sock=$2 i pid
    mariadb-install-db --no-defaults --datadir="$dir/db" --user=root \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
        --innodb-log-file-size=16M --tmpdir="$dir/tmp" >"$dir/logs/mariadb-install.log" 2>&1 \
        || die "mariadb-install-db failed (see $dir/logs/mariadb-install.log)"
    setsid mariadbd --no-defaults --user=root \
        --datadir="$dir/db" --tmpdir="$dir/tmp" --socket="$sock" --skip-networking \
        --pid-file="$dir/run/mariadbd.pid" --log-error="$dir/logs/mariadbd.log" \
        --skip-name-resolve --skip-log-bin --character-set-server=utf8mb4 \
        --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-fast-shutdown=2 \
        --sync-frm=0 \
        </dev/null >>"$dir/logs/mariadbd.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/run/mariadbd.pid"
    for ((i = 0; i < 300; i++)); do
        if [ -S "$sock" ] && mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; then
            return 0
        fi
        [ -d "/proc/$pid" ] || die "mariadbd exited (see $dir/logs/mariadbd.log)"
        sleep 0.1
    done
    die "mariadbd did not answer within 30s (see $dir/logs/mariadbd.log)"
}

start_php_server() {  # sets PORT
    local dir=$1 attempt i pid
    for attempt in 1 2 3 4 5; do
        PORT=$(free_port) || die "could not find a free TCP port"
        # PHP_CLI_SERVER_WORKERS: a few requests at once (e.g. a request that
        # calls back into the site must not deadlock the single worker).
        PHP_CLI_SERVER_WORKERS=4 setsid php \
            -d display_errors=stderr -d log_errors=0 -d memory_limit=512M \
            -d upload_max_filesize=64M -d post_max_size=64M \
            -S "127.0.0.1:$PORT" -t "$dir/wp" "$PHP_HELPERS/router.php" \
            </dev/null >>"$dir/logs/php-server.log" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/run/php.pid"
        for ((i = 0; i < 100; i++)); do
            # Still alive a moment after the port answers: the port is ours
            # (php -S exits at once when it cannot bind).
            if port_open "$PORT" && sleep 0.1 && pid_is "$pid" "$dir/wp"; then
                return 0
            fi
            [ -d "/proc/$pid" ] || break
            sleep 0.05
        done
        stop_php "$dir"
        log "php -S on port $PORT did not come up (attempt $attempt)"
    done
    die "php -S could not be started (see $dir/logs/php-server.log)"
}

cmd_up() {
    [ $# = 1 ] || usage
    check_prerequisites
    local dir
    dir=$(abspath "$1")
    if is_running "$dir"; then
        log "already running in $dir"
        cat "$dir/run/url"
        return 0
    fi
    if [ -e "$dir" ]; then
        if [ -f "$dir/$MARKER" ]; then
            log "removing a stale instance in $dir"
            stop_watcher "$dir"
            stop_php "$dir"
            stop_mariadb "$dir"
            rm -rf -- "$dir"
        elif [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
            die "$dir exists and is not empty; give a new or empty directory"
        fi
    fi

    local t0=$SECONDS
    mkdir -p "$dir"
    chmod 700 "$dir"
    : >"$dir/$MARKER"
    mkdir -p "$dir/logs" "$dir/run" "$dir/db" "$dir/tmp"
    UP_DIR=$dir
    trap on_up_exit EXIT

    # Unix socket paths are limited to ~107 bytes.
    local sock="$dir/mysql.sock"
    if [ ${#sock} -gt 100 ]; then
        local sdir
        sdir=$(mktemp -d /tmp/wordpress-env-sock.XXXXXX)
        echo "$sdir" >"$dir/run/socket-dir"
        sock="$sdir/mysql.sock"
    fi
    echo "$sock" >"$dir/run/socket"

    start_mariadb "$dir" "$sock"
    local dbpass
    dbpass=$(random_hex 16)
    mariadb --no-defaults --socket="$sock" -uroot <<EOF
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '$dbpass';
GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost';
FLUSH PRIVILEGES;
EOF

    make_docroot "$dir"
    local PORT
    start_php_server "$dir"
    local url="http://127.0.0.1:$PORT"
    echo "$PORT" >"$dir/run/port"
    write_wp_config "$dir" "$url" "$sock" "$dbpass"

    local password
    password=$(random_hex 12)
    WP_ENV_ADMIN_USER=$ADMIN_USER WP_ENV_ADMIN_PASSWORD=$password \
        WP_ENV_PERMALINKS=$PERMALINKS \
        php -d display_errors=stderr -d log_errors=0 \
        "$PHP_HELPERS/install.php" "$dir/cli-bootstrap.php" \
        >"$dir/logs/install.log" 2>&1 \
        || die "WordPress's wp_install() failed (see $dir/logs/install.log)"

    php "$PHP_HELPERS/check.php" "$url" 2>"$dir/logs/check.log" \
        || die "the site does not answer as expected (see $dir/logs/check.log)"

    umask 077
    WP_ENV_URL=$url WP_ENV_USER=$ADMIN_USER WP_ENV_PASSWORD=$password WP_ENV_PORT=$PORT \
        WP_ENV_SOCKET=$sock WP_ENV_DIR=$dir \
        WP_ENV_PHP_PID=$(read_pid "$dir/run/php.pid") \
        WP_ENV_DB_PID=$(read_pid "$dir/run/mariadbd.pid") \
        WP_ENV_PERMALINKS=$PERMALINKS \
        php -r '
        $d = getenv("WP_ENV_DIR");
        $env = array(
            "url"           => getenv("WP_ENV_URL"),
            "xmlrpc_url"    => getenv("WP_ENV_URL") . "/xmlrpc.php",
            "user"          => getenv("WP_ENV_USER"),
            "password"      => getenv("WP_ENV_PASSWORD"),
            "port"          => (int) getenv("WP_ENV_PORT"),
            "socket"        => getenv("WP_ENV_SOCKET"),
            "dir"           => $d,
            "docroot"       => $d . "/wp",
            "abspath"       => $d . "/wp/",
            "cli_bootstrap" => $d . "/cli-bootstrap.php",
            "db_name"       => "wordpress",
            "permalink_structure" => getenv("WP_ENV_PERMALINKS"),
            "pids"          => array(
                "php"      => (int) getenv("WP_ENV_PHP_PID"),
                "mariadbd" => (int) getenv("WP_ENV_DB_PID"),
            ),
        );
        file_put_contents("$d/env.json.tmp", json_encode($env, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
        rename("$d/env.json.tmp", "$d/env.json");'
    umask 022
    echo "$url" >"$dir/run/url"
    if [ -n "${WORDPRESS_ENV_OWNER_PID:-}" ]; then
        start_watcher "$dir" "$WORDPRESS_ENV_OWNER_PID"
    fi
    UP_OK=1
    log "WordPress $(php -r 'include "/usr/share/wordpress/wp-includes/version.php"; echo $wp_version;') up in $((SECONDS - t0))s: $url (env: $dir/env.json)"
    echo "$url"
}

# ------------------------------------------------------------------- main --

[ $# -ge 1 ] || usage
command=$1
shift
case "$command" in
    install) [ $# = 0 ] || usage; cmd_install ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    -h | --help | help) usage ;;
    *) usage ;;
esac
