from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sameboat.networks.models import Member, Network

# Every amount in the ledger is an integer count of hundredths of the network's unit
# (1.5 hours is 150): integers keep sums exact on every database.
HUNDREDTHS = 100


class Account(models.Model):
    """A member's account in their network's ledger. Its balance is the sum of its entries;
    `balance` is a cached copy that `sameboat ledger verify` checks against them."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="account")
    balance = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return str(self.member)


class Exchange(models.Model):
    """One exchange of help: `amount` moves from the receiver's account to the provider's.

    Exchanges and their entries are never edited (a database trigger refuses updates). A
    correction is a new exchange that `reverses` the first, with the opposite amount.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100, help_text="Idempotency key: a retry cannot post twice.")
    provider = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    match = models.ForeignKey(
        "aid.Match", null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    memo = models.CharField(max_length=200, blank=True)
    receiver_below_limit = models.BooleanField(
        default=False, help_text="The receiver's balance was below the soft limit after posting."
    )
    created_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.UniqueConstraint(fields=["network", "key"], name="exchange_key_unique"),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="exchange_amount_sign",
            ),
            models.CheckConstraint(
                condition=~Q(provider=models.F("receiver")), name="exchange_not_with_self"
            ),
            # A match posts once; its reversal is the only other exchange pointing at it.
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(reverses__isnull=True, match__isnull=False),
                name="exchange_one_per_match",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} ← {self.receiver}: {self.amount / HUNDREDTHS}"


class Entry(models.Model):
    """One side of an exchange on one account. The entries of an exchange sum to zero."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["exchange", "account"], name="entry_once_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"
