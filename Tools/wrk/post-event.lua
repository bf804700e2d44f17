-- wrk script: POST a ~300-byte call.completed webhook body (what Hooklog delivers) to every request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":"call.completed","timestamp":"2026-05-09T14:32:55.000Z","data":{"from":"+43660123456789","to":"+43662275123","duration_seconds":174,"outcome":"completed","summary":"Caller booked an appointment for Thursday 9:30 with Dr. Steinhauser","structured_fields":{"caller_name":"Maria Steinhauser","intent":"appointment_booking"}}}'
