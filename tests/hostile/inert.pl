#!/usr/bin/perl
# Reads the output folder of the hostile site and reports, one line per finding, what could
# still run in a reader's browser or spreadsheet. Prints "KIND<TAB>file<TAB>detail" lines;
# no output means nothing was found. Plain Perl (perl-base): no modules beyond the core.
#   inert.pl html DIR   script elements (listed as "script"), event-handler attributes,
#                       javascript:/vbscript:/data: in href, src, xlink:href, action, formaction
#   inert.pl svg DIR    nodes named x or y, or labelled pwned, in the inline SVG diagrams
#   inert.pl csv FILE   every cell (after CSV unquoting) that starts with = + - @ (or tab, CR)
#   inert.pl ics FILE   the property name of every unfolded line, and the VEVENT count
use strict;
use warnings;

my ($mode, $path) = @ARGV;
die "usage: inert.pl html|svg|csv|ics PATH\n" unless $mode && defined $path;

sub slurp {
    my ($f) = @_;
    open(my $fh, '<:raw', $f) or die "$f: $!\n";
    local $/;
    my $s = <$fh>;
    close $fh;
    return $s;
}

sub files {
    my ($dir, $re) = @_;
    my @out;
    my @todo = ($dir);
    while (@todo) {
        my $d = shift @todo;
        opendir(my $dh, $d) or die "$d: $!\n";
        for my $e (sort readdir $dh) {
            next if $e eq '.' || $e eq '..';
            my $p = "$d/$e";
            if (-d $p && !-l $p) { push @todo, $p; }
            elsif (-f $p && $e =~ $re) { push @out, $p; }
        }
        closedir $dh;
    }
    return @out;
}

# The HTML entity decoding a browser applies to attribute values (enough for a scheme check).
sub decode {
    my ($v) = @_;
    $v =~ s/&#x([0-9a-f]+);?/chr(hex $1)/gie;
    $v =~ s/&#([0-9]+);?/chr($1)/ge;
    my %named = (colon => ':', tab => "\t", newline => "\n", amp => '&', quot => '"', apos => "'",
                 lt => '<', gt => '>', sol => '/');
    $v =~ s/&([a-z]+);/exists $named{lc $1} ? $named{lc $1} : "&$1;"/gie;
    return $v;
}

# The tags of a document, attributes parsed the way an HTML tokenizer does.
sub tags {
    my ($s) = @_;
    my @tags;
    $s =~ s/<!--.*?-->//gs;
    while ($s =~ /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g) {
        my ($name, $attrs) = (lc $1, $2);
        my @a;
        while ($attrs =~ /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g) {
            my $v = defined $2 ? $2 : defined $3 ? $3 : defined $4 ? $4 : '';
            push @a, [lc $1, decode($v)];
        }
        push @tags, [$name, \@a, $&];
    }
    return @tags;
}

if ($mode eq 'html') {
    for my $f (files($path, qr/\.(html|svg)$/)) {
        my $rel = substr($f, length($path) + 1);
        my $s = slurp($f);
        # Any "<script" at all, also where the tag pattern would not match it.
        my $raw = () = $s =~ /<script/gi;
        my $parsed = 0;
        for my $t (tags($s)) {
            my ($name, $attrs, $text) = @$t;
            if ($name eq 'script') { $parsed++; print "script\t$rel\t$text\n"; }
            for my $a (@$attrs) {
                my ($k, $v) = @$a;
                print "handler\t$rel\t<$name $k=\"$v\">\n" if $k =~ /^on/;
                if ($k =~ /^(href|src|xlink:href|action|formaction|poster|data|background)$/) {
                    (my $u = $v) =~ s/[\x00-\x20]//g;
                    print "scheme\t$rel\t<$name $k=\"$v\">\n" if $u =~ /^(javascript|vbscript|data|livescript):/i;
                }
            }
        }
        print "script-unparsed\t$rel\t$raw '<script' in the text, $parsed script tags\n" if $raw != $parsed;
    }
} elsif ($mode eq 'svg') {
    for my $f (files($path, qr/\.(html|svg)$/)) {
        my $rel = substr($f, length($path) + 1);
        my $s = slurp($f);
        while ($s =~ /<svg\b.*?<\/svg>/gs) {
            my $svg = $&;
            while ($svg =~ /<g\b[^>]*class="(node|edge|cluster)"[^>]*>\s*<title>([^<]*)<\/title>/g) {
                my ($kind, $title) = ($1, $2);
                print "dot-$kind\t$rel\t$title\n" if $title =~ /^(x|y|pwned)$/ || $title =~ /(^|-&gt;)(x|y)$/;
            }
            while ($svg =~ /<text\b[^>]*>([^<]*)<\/text>/g) {
                print "dot-label\t$rel\t$1\n" if $1 eq 'pwned' || $1 eq 'x' || $1 eq 'y';
            }
        }
    }
} elsif ($mode eq 'csv') {
    my $s = slurp($path);
    $s =~ s/^\xEF\xBB\xBF//;
    my ($row, $col, $cell, $q) = (1, 1, '', 0);
    my @cells;
    for (my $i = 0; $i <= length $s; $i++) {
        my $c = $i < length $s ? substr($s, $i, 1) : "\n";
        if ($q) {
            if ($c eq '"' && substr($s, $i + 1, 1) eq '"') { $cell .= '"'; $i++; }
            elsif ($c eq '"') { $q = 0; }
            else { $cell .= $c; }
        } elsif ($c eq '"' && $cell eq '') { $q = 1; }
        elsif ($c eq ';' || $c eq "\n") {
            push @cells, [$row, $col, $cell] unless $c eq "\n" && $col == 1 && $cell eq '' && $i >= length $s;
            $cell = '';
            if ($c eq "\n") { $row++; $col = 1; } else { $col++; }
        } elsif ($c eq "\r" && substr($s, $i + 1, 1) eq "\n") { }
        else { $cell .= $c; }
    }
    for my $c (@cells) {
        my ($r, $k, $v) = @$c;
        print "cell\t$r:$k\t$v\n";
        print "formula\t$r:$k\t$v\n" if $v =~ /^[=+\-@\t\r]/;
    }
} elsif ($mode eq 'ics') {
    my $s = slurp($path);
    print "bare-lf\t$path\tlines not ended by CRLF\n" if $s =~ /(?<!\r)\n/;
    $s =~ s/\r\n[ \t]//g;    # unfold
    for my $line (split /\r\n/, $s) {
        my ($name) = $line =~ /^([A-Za-z0-9-]+)[;:]/;
        print "property\t", (defined $name ? $name : "(none)"), "\t$line\n";
    }
} else {
    die "inert.pl: unknown mode '$mode'\n";
}
