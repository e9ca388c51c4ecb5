<?php
/**
 * Runs WordPress's own installer (wp_install()) for a wordpress-env.sh
 * instance, then sets the permalink structure.
 *
 * Usage: php install.php /path/to/DIR/cli-bootstrap.php
 * Environment: WP_ENV_ADMIN_USER, WP_ENV_ADMIN_PASSWORD, WP_ENV_ADMIN_EMAIL,
 *              WP_ENV_TITLE, WP_ENV_PERMALINKS.
 * Prints nothing on success (the password is never printed).
 */

define( 'WP_INSTALLING', true );
require $argv[1];
// No e-mail: there is no MTA here, and the message would carry the password.
// (A pluggable function: it must be defined before upgrade.php is loaded.)
if ( ! function_exists( 'wp_new_blog_notification' ) ) {
	function wp_new_blog_notification( $blog_title, $blog_url, $user_id, $password ) {
	}
}

// Anything else that would send mail: nothing to send it with.
add_filter( 'pre_wp_mail', '__return_false' );

require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$user     = getenv( 'WP_ENV_ADMIN_USER' ) ?: 'admin';
$password = (string) getenv( 'WP_ENV_ADMIN_PASSWORD' );
$email    = getenv( 'WP_ENV_ADMIN_EMAIL' ) ?: 'admin@example.org';
$title    = getenv( 'WP_ENV_TITLE' ) ?: 'wp-migrate test site';
$perma    = getenv( 'WP_ENV_PERMALINKS' ) ?: '/%year%/%monthnum%/%day%/%postname%/';

if ( '' === $password ) {
	fwrite( STDERR, "install.php: WP_ENV_ADMIN_PASSWORD is empty\n" );
	exit( 2 );
}

if ( is_blog_installed() ) {
	fwrite( STDERR, "install.php: WordPress is already installed here\n" );
	exit( 0 );
}

// wp_install() probes pretty permalinks with HTTP requests to itself; answer
// them locally (as failures) so the install needs no web server or network.
add_filter(
	'pre_http_request',
	function () {
		return new WP_Error( 'wp_env_offline', 'HTTP is disabled during install' );
	}
);

$result = wp_install( $title, $user, $email, 1, '', wp_slash( $password ) );
if ( empty( $result['user_id'] ) ) {
	fwrite( STDERR, "install.php: wp_install() did not create the admin user\n" );
	exit( 1 );
}

global $wp_rewrite;
$wp_rewrite->set_permalink_structure( $perma );
$wp_rewrite->flush_rules( false );

// XML-RPC is on by default since WordPress 3.5; the old options only matter
// to plugins that still read them, set them anyway.
update_option( 'enable_xmlrpc', 1 );
update_option( 'enable_app', 1 );

if ( ! wp_get_theme()->exists() ) {
	fwrite( STDERR, 'install.php: the active theme "' . get_stylesheet() . "\" is not installed (package wordpress-theme-twentytwentythree)\n" );
	exit( 1 );
}

if ( ! user_can( (int) $result['user_id'], 'manage_options' ) ) {
	fwrite( STDERR, "install.php: the admin user is not an administrator\n" );
	exit( 1 );
}
