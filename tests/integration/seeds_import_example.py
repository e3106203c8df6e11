# The documented Python import example ("Import from API Response"), verbatim. seeds_import_test.sh
# runs it with the host, port, token and the external API's address substituted.
import requests
import csv
import io

# Fetch from external API
external_data = requests.get('https://external-api.com/users').json()

# Convert to CSV
output = io.StringIO()
writer = csv.writer(output)
writer.writerow(['email', 'name', 'attributes'])

for user in external_data:
    writer.writerow([
        user['email'],
        user['name'],
        f'{{"source": "external_api", "id": "{user["id"]}"}}'  
    ])

# Import to listmonk
files = {'file': ('import.csv', output.getvalue())}
data = {
    'mode': 'subscribe',
    'lists': '1,2',
    'overwrite': 'true'
}

response = requests.post(
    'http://localhost:9000/api/import/subscribers',
    headers={'Authorization': 'Bearer token'},
    files=files,
    data=data
)
