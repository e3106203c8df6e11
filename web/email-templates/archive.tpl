<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ .Campaign.Subject }}</title>
  <style>
    body { margin: 0; padding: 0; background: #f7f7f8; color: #23272f;
           font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 17px; line-height: 1.65; }
    .page { max-width: 680px; margin: 0 auto; padding: 40px 20px; }
    .meta { font-size: 14px; color: #7a808c; margin-bottom: 24px; }
    .meta a { color: #7a808c; }
    article { background: #ffffff; border-radius: 6px; padding: 32px 36px; }
    article img { max-width: 100%; height: auto; }
    h1, h2, h3 { line-height: 1.3; color: #111318; }
    a { color: #2457c5; }
    @media (max-width: 700px) { .page { padding: 16px 0; } article { border-radius: 0; padding: 24px 20px; } }
  </style>
</head>
<body>
  <div class="page">
    <p class="meta"><a href="{{ ArchiveURL }}">&larr; All issues</a></p>
    <article>
      <h1>{{ .Campaign.Subject }}</h1>
      {{ template "content" . }}
    </article>
  </div>
</body>
</html>
