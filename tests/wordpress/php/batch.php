<?php
/**
 * Applies one WordPress function or filter to many texts in one PHP process.
 *
 * Usage: php -d auto_prepend_file=DIR/cli-bootstrap.php batch.php < request.json
 *
 * Request (JSON on stdin):
 *   {"kind": "function", "name": "wpautop", "args": [true], "texts": [BASE64, ...]}
 *     calls name(text, ...args) for each text;
 *   {"kind": "filter", "name": "the_content", "args": [], "texts": [...], "post_id": null}
 *     calls apply_filters(name, text, ...args) for each text, with a global
 *     $post set up: the post post_id if given, else an unsaved post whose
 *     content is the text.
 * Texts travel base64-encoded so that any bytes survive; the answer is a JSON
 * list of base64 strings in the same order.
 */

$request = json_decode( stream_get_contents( STDIN ), true, 512, JSON_THROW_ON_ERROR );
$kind    = $request['kind'];
$name    = $request['name'];
$args    = isset( $request['args'] ) ? $request['args'] : array();
$post_id = isset( $request['post_id'] ) ? (int) $request['post_id'] : 0;

if ( 'function' === $kind && ! function_exists( $name ) ) {
	fwrite( STDERR, "batch.php: no such function: $name\n" );
	exit( 2 );
}
if ( 'function' !== $kind && 'filter' !== $kind ) {
	fwrite( STDERR, "batch.php: unknown kind: $kind\n" );
	exit( 2 );
}

function wp_env_setup_post( $post_id, $text ) {
	if ( $post_id ) {
		$post = get_post( $post_id );
		if ( ! $post ) {
			fwrite( STDERR, "batch.php: no post $post_id\n" );
			exit( 1 );
		}
	} else {
		$post = new WP_Post(
			(object) array(
				'ID'                => 0,
				'post_author'       => 1,
				'post_type'         => 'post',
				'post_status'       => 'publish',
				'post_name'         => 'wp-env-render',
				'post_title'        => '',
				'post_content'      => $text,
				'post_excerpt'      => '',
				'post_date'         => current_time( 'mysql' ),
				'post_date_gmt'     => current_time( 'mysql', true ),
				'post_modified'     => current_time( 'mysql' ),
				'post_modified_gmt' => current_time( 'mysql', true ),
				'comment_status'    => 'closed',
				'ping_status'       => 'closed',
				'filter'            => 'raw',
			)
		);
	}
	$GLOBALS['post'] = $post;
	setup_postdata( $post );
}

$out = array();
foreach ( $request['texts'] as $i => $encoded ) {
	$text = base64_decode( $encoded, true );
	if ( false === $text ) {
		fwrite( STDERR, "batch.php: text $i is not base64\n" );
		exit( 2 );
	}
	ob_start();
	if ( 'filter' === $kind ) {
		wp_env_setup_post( $post_id, $text );
		$result = apply_filters( $name, $text, ...$args );
	} else {
		$result = $name( $text, ...$args );
	}
	$stray = ob_get_clean();
	if ( '' !== $stray ) {
		fwrite( STDERR, "batch.php: text $i: output outside the result: " . substr( $stray, 0, 500 ) . "\n" );
	}
	$out[] = base64_encode( (string) $result );
}
unset( $GLOBALS['post'] );

echo json_encode( $out );
