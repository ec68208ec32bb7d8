/// One small page that both the selector translator and selector-driven discovery are tested
/// on: a main column with a list (odd rows classed), an off-site link with a quoted title, and
/// a sibling whose class only shares a prefix with the list's (`news-listing` vs `news-list`).
public enum SelectorFixture {
    public static let html = """
    <html><body>
    <div id="main" class="col news-list">
      <ul class="list">
        <li class="odd"><a href="/a.html" data-kind="story-main">A</a></li>
        <li><a href="/b.html" data-kind="story">B</a><span>x</span></li>
        <li class="odd"><a href="/c.html">C</a></li>
      </ul>
      <p><a href="http://other.example/d.html" title='say "hi"'>D</a></p>
    </div>
    <div class="news-listing"><a href="/e.html">E</a></div>
    </body></html>
    """
}
