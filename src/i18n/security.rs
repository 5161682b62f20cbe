//! The words of the owner's defences (issue 25): recovery code, a PIN gone
//! missing, the payee-change banner, History's owner-only parts, reprints.

use super::Lang;

/// Fixed words of the owner's defences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sec {
    RecoveryCodeTitle,
    RecoveryCodeHint,
    WroteItDown,
    RecoveryCode,
    WrongRecoveryCode,
    ResetWithRecovery,
    NoRecoveryOnDevice,
    PinMissing,
    Acknowledge,
    AcknowledgeWithPin,
    SetPinToAcknowledge,
    CurrentOwnerPin,
    CurrentPinNeeded,
    PinFromConfig,
    PayeeLocked,
    HistoryNeedsPin,
    OwnerOnly,
    TestBuild,
    HiddenCharacters,
}

impl Sec {
    pub fn text(self, lang: Lang) -> &'static str {
        use Sec::*;
        let (en, zh) = match self {
            RecoveryCodeTitle => ("Recovery code: write it down", zh!("恢复码：请抄写下来")),
            RecoveryCodeHint => (
                "It is shown only this once and kept on the tablet only as a hash. With it, \"Reset this device\" on the lock screen works when the PIN is forgotten; without it, this tablet cannot be reset.",
                zh!("它只显示这一次，平板上只保存它的哈希。忘记密码时，凭它可在锁定屏幕上“重置此设备”；没有它，本平板无法重置。"),
            ),
            WroteItDown => ("I wrote it down", zh!("我已抄写")),
            RecoveryCode => ("Recovery code", zh!("恢复码")),
            WrongRecoveryCode => ("Wrong recovery code", zh!("恢复码错误")),
            ResetWithRecovery => (
                "Resetting erases the settings and the PIN on this tablet (the sales history stays). Type the recovery code written down when the PIN was set.",
                zh!("重置会清除本平板上的设置和密码（交易历史会保留）。请输入设置密码时抄写下来的恢复码。"),
            ),
            NoRecoveryOnDevice => (
                "There is no recovery code on this tablet, so it cannot be reset here. The owner's last resort: clear this site's data in the browser's settings.",
                zh!("本平板上没有恢复码，因此无法在此重置。店主的最后办法：在浏览器设置中清除本网站的数据。"),
            ),
            PinMissing => (
                "The owner PIN is missing: enter the recovery code",
                zh!("店主密码不见了：请输入恢复码"),
            ),
            Acknowledge => ("Acknowledge", zh!("确认知悉")),
            AcknowledgeWithPin => ("Owner PIN to acknowledge", zh!("输入店主密码以确认")),
            SetPinToAcknowledge => (
                "Set an owner PIN in Settings to acknowledge this.",
                zh!("请先在设置中设置店主密码，再确认此事。"),
            ),
            CurrentOwnerPin => ("Current owner PIN", zh!("当前店主密码")),
            CurrentPinNeeded => (
                "Changing the payee or the PIN needs the current owner PIN.",
                zh!("更改收款方或密码需要输入当前店主密码。"),
            ),
            PinFromConfig => (
                "The owner PIN is set by config.json and cannot be changed here.",
                zh!("店主密码由 config.json 设定，无法在此更改。"),
            ),
            PayeeLocked => (
                "The payee is locked by config.json and cannot be changed here.",
                zh!("收款方已由 config.json 锁定，无法在此更改。"),
            ),
            HistoryNeedsPin => (
                "Other days, older receipts, settling, re-checks of older sales and exports need the owner PIN",
                zh!("查看其他日期、重印较早的收据、标记已结清、重新查询较早的交易和导出都需要店主密码"),
            ),
            OwnerOnly => ("Owner", zh!("店主")),
            TestBuild => ("Test build", zh!("测试版本")),
            HiddenCharacters => (
                "remove the invisible formatting characters (such as right-to-left marks): they can make text read other than it is.",
                zh!("请删除不可见的格式字符（如从右到左标记）：它们会让文字显示得与实际不同。"),
            ),
        };
        pick!(lang, en, zh)
    }
}

/// The lasting banner after the settings were reset or lost and saved with
/// another payee than the last sales'.
pub fn payee_changed(lang: Lang, date: &str, fingerprint: &str) -> String {
    pick!(
        lang,
        "The payee changed on {date}: payments now go {fingerprint}",
        zh!("收款方已于 {date} 更改：款项现在{fingerprint}"; date, fingerprint)
    )
}

/// A note with invisible formatting characters, refused at Charge.
pub fn note_hidden(lang: Lang) -> String {
    let why = Sec::HiddenCharacters.text(lang);
    pick!(lang, "Note: {why}", zh!("备注：{why}"; why))
}

/// What a receipt printed again from History says at its top.
pub fn reprinted(lang: Lang, when: &str) -> String {
    pick!(lang, "Copy · reprinted {when}", zh!("副本 · 重印于 {when}"; when))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_in_both_languages() {
        use Sec::*;
        for m in [
            RecoveryCodeTitle, RecoveryCodeHint, WroteItDown, RecoveryCode, WrongRecoveryCode,
            ResetWithRecovery, NoRecoveryOnDevice, PinMissing, Acknowledge, AcknowledgeWithPin,
            SetPinToAcknowledge, CurrentOwnerPin, CurrentPinNeeded, PinFromConfig, PayeeLocked,
            HistoryNeedsPin, OwnerOnly, TestBuild, HiddenCharacters,
        ] {
            let (en, zh) = (m.text(Lang::En), m.text(Lang::ZhHans));
            assert!(!en.is_empty() && en != zh, "{m:?}");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{m:?}: {zh}");
        }
        assert_eq!(
            payee_changed(Lang::En, "2026-12-06", "to 3f2a…5a6b"),
            "The payee changed on 2026-12-06: payments now go to 3f2a…5a6b"
        );
        assert!(payee_changed(Lang::ZhHans, "2026-12-06", "付给 3f2a…5a6b").contains("付给"));
        assert!(reprinted(Lang::En, "14:05").starts_with("Copy"));
        assert!(reprinted(Lang::ZhHans, "14:05").starts_with("副本"));
    }
}
