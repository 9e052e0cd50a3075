"""Print the code the demo's coordinator and trust executive logins ask for after their
password (two-step sign-in is required for those roles; see network/demo/mfa.py)."""

from django.core.management.base import BaseCommand

from network.demo.mfa import DEMO_TOTP_SECRET, current_code


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of the demo logins coordinator@ and ceo@demo.network."

    def handle(self, *args, **options):
        code, seconds = current_code()
        self.stdout.write(f"Code for coordinator@demo.network and ceo@demo.network: {code} (changes in {seconds} s)")
        self.stdout.write(
            f"Or add this key to an authenticator app (time-based, 6 digits, 30 s): {DEMO_TOTP_SECRET}. "
            "A code works once per login; wait for the next one to sign in again."
        )
