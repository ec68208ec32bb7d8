// Fills the article shell from the story's data, as single-page news sites do.
(function () {
  fetch('/api/story/ferry-timetable-changes.json')
    .then(function (r) { return r.json(); })
    .then(function (story) {
      var root = document.getElementById('story');
      root.innerHTML = '';
      var h1 = document.createElement('h1');
      h1.textContent = story.headline;
      root.appendChild(h1);
      var byline = document.createElement('p');
      byline.className = 'byline';
      byline.textContent = 'By ' + story.author + ', ' + story.date;
      root.appendChild(byline);
      story.paragraphs.forEach(function (text) {
        var p = document.createElement('p');
        p.textContent = text;
        root.appendChild(p);
      });
    });
})();
