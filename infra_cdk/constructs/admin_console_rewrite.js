// CloudFront Function (viewer request) on the admin console's behaviours. CONSOLE_PATH is declared ahead
// of this code by the construct, from the wiring's one declaration. The app routes in the browser: a path
// under the console that names no file gets its index.html, and the bare path moves to the one with a
// slash, under which the page's relative URLs resolve.
function handler(event) {
  var request = event.request;
  if (request.uri === CONSOLE_PATH) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: CONSOLE_PATH + '/' } },
    };
  }
  var name = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (name.indexOf('.') === -1) {
    request.uri = CONSOLE_PATH + '/index.html';
  }
  return request;
}
