<!DOCTYPE html>
<html <?php language_attributes(); ?>>
<head>
<meta charset="<?php bloginfo( 'charset' ); ?>">
<?php wp_head(); ?>
</head>
<body <?php body_class(); ?>>
<header class="site-header"><p class="site-title"><a href="<?php echo esc_url( home_url( '/' ) ); ?>" rel="home"><?php bloginfo( 'name' ); ?></a></p>
<nav class="main-navigation"><?php wp_page_menu(); ?></nav></header>
<main id="main" class="site-main">
<?php while ( have_posts() ) : the_post(); ?>
<article id="post-<?php the_ID(); ?>" <?php post_class(); ?>>
	<header class="entry-header">
		<?php
		if ( is_singular() ) {
			the_title( '<h1 class="entry-title">', '</h1>' );
		} else {
			the_title( '<h2 class="entry-title"><a href="' . esc_url( get_permalink() ) . '" rel="bookmark">', '</a></h2>' );
		}
		?>
		<div class="entry-meta">
			<span class="posted-on"><time class="entry-date published" datetime="<?php echo esc_attr( get_the_date( DATE_W3C ) ); ?>"><?php echo esc_html( get_the_date() ); ?></time><time class="updated" datetime="<?php echo esc_attr( get_the_modified_date( DATE_W3C ) ); ?>"><?php echo esc_html( get_the_modified_date() ); ?></time></span>
			<span class="byline"><span class="author vcard"><a class="url fn n" href="<?php echo esc_url( get_author_posts_url( get_the_author_meta( 'ID' ) ) ); ?>"><?php the_author(); ?></a></span></span>
		</div>
	</header>
	<?php if ( has_post_thumbnail() ) : ?><div class="post-thumbnail"><?php the_post_thumbnail(); ?></div><?php endif; ?>
	<div class="entry-content"><?php is_singular() ? the_content() : the_excerpt(); ?></div>
	<footer class="entry-footer">
		<?php if ( has_category() ) : ?><span class="cat-links"><?php the_category( ', ' ); ?></span><?php endif; ?>
		<?php the_tags( '<span class="tags-links">', ', ', '</span>' ); ?>
	</footer>
</article>
<?php
if ( is_singular() && ( comments_open() || get_comments_number() ) ) {
	comments_template();
}
endwhile;
the_posts_pagination();
?>
</main>
<?php wp_footer(); ?>
</body>
</html>
