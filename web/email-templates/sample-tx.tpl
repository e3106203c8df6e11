<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>
    body { margin: 0; padding: 32px 12px; background: #f2f3f5; color: #23272f;
           font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.6; }
    .wrap { max-width: 560px; margin: 0 auto; background: #ffffff; border-radius: 6px; padding: 32px 36px; }
    .details { width: 100%; border-collapse: collapse; margin: 20px 0; }
    .details td { padding: 8px 0; border-bottom: 1px solid #e3e6eb; }
    .details td:last-child { text-align: right; font-weight: 600; }
    .small { font-size: 13px; color: #7a808c; }
  </style>
</head>
<body>
  <div class="wrap">
    <p>Hello {{ .Subscriber.FirstName }},</p>
    <p>This is a sample transactional message. Everything sent in the request's
       <code>data</code> object can be used here as <code>.Tx.Data</code>.</p>
    {{ if .Tx.Data.order_id }}
    <table class="details">
      <tr><td>Order</td><td>{{ .Tx.Data.order_id }}</td></tr>
      <tr><td>Ships on</td><td>{{ .Tx.Data.shipping_date }}</td></tr>
    </table>
    {{ end }}
    <p class="small">You receive this message because of an action on your account
       ({{ .Subscriber.Email }}).</p>
  </div>
</body>
</html>
