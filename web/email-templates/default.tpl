<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ .Campaign.Subject }}</title>
  <style>
    body { margin: 0; padding: 0; background: #f2f3f5; color: #23272f;
           font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.6; }
    .gutter { padding: 32px 12px; }
    .wrap { max-width: 600px; margin: 0 auto; background: #ffffff; border-radius: 6px;
            padding: 32px 36px; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.06); }
    .wrap img { max-width: 100%; height: auto; }
    h1, h2, h3 { line-height: 1.3; color: #111318; }
    a { color: #2457c5; }
    .button { display: inline-block; padding: 10px 22px; border-radius: 4px; background: #2457c5;
              color: #ffffff !important; text-decoration: none; font-weight: 600; }
    blockquote { margin: 0; padding-left: 16px; border-left: 3px solid #d5d9e0; color: #555b66; }
    table { border-collapse: collapse; }
    td, th { padding: 6px 10px; border: 1px solid #e3e6eb; }
    .footer { max-width: 600px; margin: 0 auto; padding: 20px 12px 0; text-align: center;
              font-size: 13px; color: #7a808c; }
    .footer a { color: #7a808c; }
    @media (max-width: 620px) { .gutter { padding: 12px 0; } .wrap { border-radius: 0; padding: 24px 20px; } }
  </style>
</head>
<body>
  <div class="gutter">
    <div class="wrap">
      {{ template "content" . }}
    </div>
    <div class="footer">
      <p>
        <a href="{{ UnsubscribeURL }}">Unsubscribe</a>
        &nbsp;&middot;&nbsp;
        <a href="{{ ManageURL }}">Manage your subscriptions</a>
        &nbsp;&middot;&nbsp;
        <a href="{{ MessageURL }}">View in your browser</a>
      </p>
    </div>
  </div>
  {{ TrackView }}
</body>
</html>
