// The site's bundle: fetches the story list and builds it in the page.
(function () {
  function item(story) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = story.path;
    a.textContent = story.headline;
    var time = document.createElement('time');
    time.setAttribute('datetime', story.date);
    time.textContent = story.date;
    var p = document.createElement('p');
    p.textContent = story.summary;
    li.appendChild(a); li.appendChild(time); li.appendChild(p);
    return li;
  }
  fetch('/api/stories.json', { headers: { 'Accept': 'application/json' } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var list = document.getElementById('stories');
      data.stories.forEach(function (s) { list.appendChild(item(s)); });
    });
})();
