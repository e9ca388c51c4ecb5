<?php
/**
 * Smoke check of a running wordpress-env.sh instance over HTTP.
 *
 * Usage: php check.php URL
 * Checks that GET URL/ answers 200 and that XML-RPC (URL/xmlrpc.php,
 * demo.sayHello) answers "Hello!". Exits non-zero with a reason otherwise.
 */

$url = rtrim( $argv[1], '/' );

function wp_env_http( $url, $body = null ) {
	$opts = array(
		'method'        => null === $body ? 'GET' : 'POST',
		'timeout'       => 20,
		'ignore_errors' => true,
		'header'        => "Content-Type: text/xml\r\nConnection: close\r\n",
	);
	if ( null !== $body ) {
		$opts['content'] = $body;
	}
	$ctx    = stream_context_create( array( 'http' => $opts ) );
	$answer = @file_get_contents( $url, false, $ctx );
	$status = 0;
	foreach ( isset( $http_response_header ) ? $http_response_header : array() as $line ) {
		if ( preg_match( '#^HTTP/\S+\s+(\d{3})#', $line, $m ) ) {
			$status = (int) $m[1]; // The last one wins (after redirects).
		}
	}
	return array( $status, false === $answer ? '' : $answer );
}

list( $status, $html ) = wp_env_http( $url . '/' );
if ( 200 !== $status ) {
	fwrite( STDERR, "check.php: GET $url/ answered HTTP $status\n" . substr( $html, 0, 2000 ) . "\n" );
	exit( 1 );
}

$call = '<?xml version="1.0"?><methodCall><methodName>demo.sayHello</methodName><params></params></methodCall>';
list( $status, $xml ) = wp_env_http( $url . '/xmlrpc.php', $call );
if ( 200 !== $status || false === strpos( $xml, 'Hello!' ) ) {
	fwrite( STDERR, "check.php: XML-RPC demo.sayHello at $url/xmlrpc.php answered HTTP $status\n" . substr( $xml, 0, 2000 ) . "\n" );
	exit( 1 );
}
