<?php
/**
 * Router for PHP's built-in web server (`php -S ... router.php`) serving a
 * wordpress-env.sh docroot: a directory of symlinks into Debian's
 * /usr/share/wordpress plus a private wp-config.php.
 *
 * WordPress's wp-load.php uses ABSPATH to find wp-config.php; without it
 * being defined here, code reached through a symlink (e.g. wp-admin/*.php,
 * which requires dirname(__DIR__) . '/wp-load.php' with symlinks resolved)
 * would pick up Debian's /usr/share/wordpress/wp-config.php, which reads
 * /etc/wordpress/config-<host>.php. Defining ABSPATH as the docroot keeps
 * every request on this instance's own config.
 */

$root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', $root . '/' );
}

$path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
if ( '' === $path || false !== strpos( $path, "\0" ) ) {
	$path = '/';
}
$file = $root . $path;

if ( '/' !== $path && false === strpos( $path, '/.' ) && file_exists( $file ) ) {
	if ( is_dir( $file ) ) {
		if ( '/' !== substr( $path, -1 ) ) {
			$query = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_QUERY );
			header( 'Location: ' . $path . '/' . ( null === $query ? '' : '?' . $query ), true, 301 );
			return true;
		}
		if ( file_exists( $file . 'index.php' ) ) {
			return false; // The built-in server runs DIR/index.php.
		}
	} else {
		return false; // An existing file: a PHP script is run, anything else served as is.
	}
}

if ( '/' === $path ) {
	return false;
}

// Anything else (pretty permalinks, feeds, ...) goes to WordPress's front controller.
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
chdir( $root );
require $root . '/index.php';
